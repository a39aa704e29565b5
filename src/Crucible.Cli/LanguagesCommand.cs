using System.CommandLine;
using Crucible.Sandbox;
using Spectre.Console;

namespace Crucible.Cli;

/// <summary><c>crucible languages</c>: which toolchains this machine has, with versions, and why others are missing.</summary>
internal static class LanguagesCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var cmd = new Command("languages", "List the languages and the toolchains found on this machine.") { json };
        cmd.SetAction(parse =>
        {
            var registry = LanguageRegistry.DetectNow(); // the machine as it is now, not as an earlier process found it
            if (parse.GetValue(json))
            {
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(registry.All.Select(l => new
                {
                    id = l.Id, name = l.DisplayName, aliases = l.Aliases, available = l.Available, version = l.Version, reason = l.UnavailableReason,
                }), CliJson.Options));
                return 0;
            }
            var table = new Table().AddColumns("language", "aliases", "status", "toolchain");
            foreach (var l in registry.All)
                table.AddRow(Markup.Escape(l.Id), Markup.Escape(string.Join(", ", l.Aliases)),
                    l.Available ? "[green]available[/]" : "[red]missing[/]", Markup.Escape(l.Version ?? l.UnavailableReason ?? ""));
            AnsiConsole.Write(table);
            return 0;
        });
        return cmd;
    }
}
