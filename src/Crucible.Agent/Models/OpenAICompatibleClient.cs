using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using Polly;
using Polly.Retry;

namespace Crucible.Agent.Models;

/// <summary>
/// <see cref="IModelClient"/> for any OpenAI-compatible server (vLLM, SGLang, llama.cpp server, Ollama, OpenAI, Together,
/// DeepSeek). Chat requests go through Microsoft.Extensions.AI's <see cref="IChatClient"/> over the official OpenAI SDK;
/// <c>/v1/completions</c> requests (base models), which the SDK no longer exposes publicly, are sent through the same
/// SDK pipeline (same authentication and transport). Transient failures are retried by a Polly pipeline that honours
/// Retry-After; the SDK's own retries are switched off so attempts are counted in one place.
/// </summary>
public sealed class OpenAICompatibleClient : IModelClient, IDisposable
{
    private static readonly ResiliencePropertyKey<AttemptLog> LogKey = new("crucible.attempts");

    private readonly ModelEndpoint _endpoint;
    private readonly ModelClientOptions _options;
    private readonly OpenAIClient _openAI;
    private readonly IChatClient _chat;
    private readonly ResiliencePipeline _pipeline;
    private readonly SemaphoreSlim _slots;
    private readonly TimeProvider _time;

    public OpenAICompatibleClient(ModelEndpoint endpoint, ModelClientOptions? options = null, TimeProvider? timeProvider = null)
    {
        _endpoint = endpoint;
        _options = options ?? new ModelClientOptions();
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        var sdkOptions = new OpenAIClientOptions
        {
            Endpoint = endpoint.BaseUrl,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            // Backstop only: the Polly timeout below fires first and is what gets retried.
            NetworkTimeout = _options.AttemptTimeout + TimeSpan.FromSeconds(30),
            UserAgentApplicationId = "crucible",
        };
        // The SDK insists on a key; local servers ignore it (vLLM documents "EMPTY").
        _openAI = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(endpoint.ApiKey) ? "EMPTY" : endpoint.ApiKey), sdkOptions);
        _chat = _openAI.GetChatClient(endpoint.Model).AsIChatClient();
        _slots = new SemaphoreSlim(_options.MaxConcurrentRequests, _options.MaxConcurrentRequests);
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, _options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.BaseRetryDelay,
                MaxDelay = _options.MaxRetryDelay,
                ShouldHandle = args => ValueTask.FromResult(_options.MaxRetries > 0 && ModelFailure.IsTransient(args.Outcome.Exception, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(ModelFailure.RequestedDelay(args.Outcome.Exception, _options.MaxRetryDelay, _time.GetUtcNow())),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(LogKey, out var log))
                        log.Retried(args.RetryDelay, args.Outcome.Exception is { } e ? ModelFailure.Describe(e) : "failed");
                    return default;
                },
            })
            .AddTimeout(_options.AttemptTimeout)
            .Build();
    }

    public string Model => _endpoint.Model;
    public ModelEndpoint Endpoint => _endpoint;

    public async Task<ModelCompletion> CompleteAsync(ModelRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Api == ModelApi.Completions && request.Prompt is null)
            throw new ArgumentException("A /v1/completions request needs a prompt.", nameof(request));
        if (request.Api == ModelApi.Chat && request.Messages.Count == 0)
            throw new ArgumentException("A chat request needs at least one message.", nameof(request));
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var log = new AttemptLog();
        var started = Stopwatch.GetTimestamp();
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(LogKey, log);
        try
        {
            var raw = await _pipeline.ExecuteAsync(static (ctx, state) => new ValueTask<ModelCompletion>(state.self.SendOnceAsync(state.request, ctx.CancellationToken)),
                context, (self: this, request)).ConfigureAwait(false);

            var text = StopSequences.Truncate(raw.Text, request.Sampling.Stop, out var cut);
            return raw with
            {
                Text = text,
                FinishReason = cut ? "stop" : raw.FinishReason,
                Latency = Stopwatch.GetElapsedTime(started),
                Attempts = log.Attempts,
                RetryDelays = log.Delays,
                AttemptErrors = log.Errors,
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            throw ModelFailure.ToModelException(e, _endpoint.BaseUrl, _endpoint.Model, log.Attempts, log.Errors.Append(ModelFailure.Describe(e)).ToArray());
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
            _slots.Release();
        }
    }

    private Task<ModelCompletion> SendOnceAsync(ModelRequest request, CancellationToken ct) =>
        request.Api == ModelApi.Chat ? SendChatAsync(request, ct) : SendCompletionAsync(request, ct);

    private async Task<ModelCompletion> SendChatAsync(ModelRequest request, CancellationToken ct)
    {
        var messages = request.Messages.Select(ToChatMessage).ToList();
        var s = request.Sampling;
        var options = new ChatOptions
        {
            Temperature = s.Temperature,
            TopP = s.TopP,
            MaxOutputTokens = s.MaxTokens,
            Seed = s.Seed,
            StopSequences = s.Stop.Count > 0 ? [.. s.Stop] : null,
        };
        if (request.Tools.Count > 0)
        {
            options.Tools = request.Tools.Select(t => (AITool)AIFunctionFactory.CreateDeclaration(t.Name, t.Description, JsonDocument.Parse(t.ParametersSchema).RootElement.Clone())).ToList();
            options.ToolMode = ChatToolMode.Auto;
        }
        if (_options.SendLegacyMaxTokens && s.MaxTokens is { } max)
        {
            options.RawRepresentationFactory = _ =>
            {
                var raw = new OpenAI.Chat.ChatCompletionOptions();
#pragma warning disable SCME0001 // JsonPatch is marked experimental; it is the SDK's supported way to add a body field.
                raw.Patch.Set("$.max_tokens"u8, max);
#pragma warning restore SCME0001
                return raw;
            };
        }
        var response = await _chat.GetResponseAsync(messages, options, ct).ConfigureAwait(false);
        if (response.Messages.Count == 0) throw new MalformedResponseException("the chat completion has no choices");
        var text = response.Text ?? "";
        var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()
            .Select(c => new ModelToolCall(c.CallId, c.Name, JsonSerializer.Serialize(c.Arguments ?? new Dictionary<string, object?>()))).ToArray();
        var usage = response.Usage;
        var reported = usage?.InputTokenCount is not null || usage?.OutputTokenCount is not null;
        return new ModelCompletion
        {
            Text = text,
            FinishReason = response.FinishReason?.Value,
            ToolCalls = calls,
            Usage = reported ? new TokenUsage(usage!.InputTokenCount ?? 0, usage.OutputTokenCount ?? 0) : TokenUsage.Estimate(request.PromptChars, text.Length),
            UsageEstimated = !reported,
        };
    }

    private static ChatMessage ToChatMessage(ModelMessage m)
    {
        if (m.Role == ModelRole.Tool)
            return new ChatMessage(ChatRole.Tool, [new FunctionResultContent(m.ToolCallId ?? "", m.Text)]);
        var role = m.Role switch { ModelRole.System => ChatRole.System, ModelRole.Assistant => ChatRole.Assistant, _ => ChatRole.User };
        if (m.ToolCalls is not { Count: > 0 } calls) return new ChatMessage(role, m.Text);
        var contents = new List<AIContent>();
        if (m.Text.Length > 0) contents.Add(new TextContent(m.Text));
        foreach (var c in calls)
            contents.Add(new FunctionCallContent(c.Id, c.Name, JsonSerializer.Deserialize<Dictionary<string, object?>>(c.Arguments)));
        return new ChatMessage(role, contents);
    }

    private async Task<ModelCompletion> SendCompletionAsync(ModelRequest request, CancellationToken ct)
    {
        var s = request.Sampling;
        var body = new Dictionary<string, object?> { ["model"] = _endpoint.Model, ["prompt"] = request.Prompt, ["n"] = 1 };
        if (s.MaxTokens is { } max) body["max_tokens"] = max;
        if (s.Temperature is { } t) body["temperature"] = t;
        if (s.TopP is { } p) body["top_p"] = p;
        if (s.Seed is { } seed) body["seed"] = seed;
        if (s.Stop.Count > 0) body["stop"] = s.Stop;

        using var message = _openAI.Pipeline.CreateMessage();
        message.Apply(new RequestOptions { CancellationToken = ct });
        message.ResponseClassifier = PipelineMessageClassifier.Create([200]);
        message.Request.Method = "POST";
        message.Request.Uri = new Uri(_endpoint.BaseUrl.AbsoluteUri.TrimEnd('/') + "/completions");
        message.Request.Headers.Set("Content-Type", "application/json");
        message.Request.Headers.Set("Accept", "application/json");
        message.Request.Content = BinaryContent.Create(BinaryData.FromObjectAsJson(body));
        await _openAI.Pipeline.SendAsync(message).ConfigureAwait(false);
        var response = message.Response ?? throw new MalformedResponseException("no response");
        if (response.IsError) throw new ClientResultException(response);

        using var doc = JsonDocument.Parse(response.Content);
        var root = doc.RootElement;
        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
            throw new MalformedResponseException("the completion has no choices");
        var choice = choices[0];
        var text = choice.TryGetProperty("text", out var t2) && t2.ValueKind == JsonValueKind.String ? t2.GetString()!
            : throw new MalformedResponseException("choices[0].text is missing");
        var finish = choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        TokenUsage? usage = null;
        if (root.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
        {
            var prompt = u.TryGetProperty("prompt_tokens", out var pt) && pt.TryGetInt64(out var ptv) ? ptv : 0;
            var completion = u.TryGetProperty("completion_tokens", out var ctk) && ctk.TryGetInt64(out var ctv) ? ctv : 0;
            usage = new TokenUsage(prompt, completion);
        }
        return new ModelCompletion
        {
            Text = text,
            FinishReason = finish,
            Usage = usage ?? TokenUsage.Estimate(request.PromptChars, text.Length),
            UsageEstimated = usage is null,
        };
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>What happened to the attempts of one call; written by the Polly callbacks, which may run on any thread.</summary>
    private sealed class AttemptLog
    {
        private readonly Lock _gate = new();
        private readonly List<TimeSpan> _delays = [];
        private readonly List<string> _errors = [];

        public int Attempts { get { lock (_gate) return _delays.Count + 1; } }
        public IReadOnlyList<TimeSpan> Delays { get { lock (_gate) return [.. _delays]; } }
        public IReadOnlyList<string> Errors { get { lock (_gate) return [.. _errors]; } }

        public void Retried(TimeSpan delay, string error)
        {
            lock (_gate)
            {
                _delays.Add(delay);
                _errors.Add(error);
            }
        }
    }
}
