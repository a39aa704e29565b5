namespace Crucible.Bench;

/// <summary>
/// The Python program that runs a reference solution over its inputs for <see cref="ReferenceOracle"/>: one answer
/// line per input, written as soon as it is known (so a run that dies still leaves the answers before it), each input
/// under its own generous CPU alarm, arguments deep-copied as EvalPlus's <c>trusted_exec</c> does.
/// </summary>
internal static class ReferenceDriver
{
    public const string Version = "oracle-driver-v9";

    /// <summary>
    /// The driver for <paramref name="referenceCode"/>: the source names NumPy only when the reference does, so that only
    /// those runs go to the sandbox's NumPy-preloading zygotes (a fork of one costs more; the judge's runs of a
    /// solution that does not import it go elsewhere too).
    /// </summary>
    public static string ProgramFor(string referenceCode) =>
        referenceCode.Contains("numpy", StringComparison.Ordinal) ? Source + "\n# the reference imports numpy\n" : Source;

    public const string Source = """
        import base64, json, math, os, signal, sys, time
        if hasattr(sys, "set_int_max_str_digits"):
            sys.set_int_max_str_digits(0)  # references compute integers of any size; so do their answers
        sys.setrecursionlimit(100000)
        entry, per_input, not_none = sys.argv[1], float(sys.argv[2]), sys.argv[3] == "1"
        # Answers are written every 20 ms rather than one by one: the host reads them when the run ends. A run that
        # dies loses at most those; the host then runs the rest again with "0" here, writing each answer at once.
        flush_every = 0.02 if len(sys.argv) > 4 and sys.argv[4] == "1" else 0.0

        class Overtime(BaseException):
            pass

        # The CPU time past which the input now running has had its allowance; infinite between inputs. A tick every
        # 10 ms of CPU checks it: arming and disarming an alarm around each input cost two system calls per input.
        deadline = [math.inf]

        def on_alarm(signum, frame):
            if time.process_time() >= deadline[0]:
                deadline[0] = math.inf
                raise Overtime()

        signal.signal(signal.SIGPROF, on_alarm)
        signal.setitimer(signal.ITIMER_PROF, 0.01, 0.01)

        HEX_LIMIT = 1 << 12000  # ints strictly inside ±this have at most 12000 bits (enc writes larger ones in hex)
        INF = math.inf
        # The module name is split so that this program's text does not name it: the sandbox serves programs that do
        # from zygotes that preloaded it, whose forks cost more. A reference that imports it is named in a comment
        # the host appends (ReferenceOracle), and runs there.
        NUMPY = "num" "py"

        # Answers use the judge's typed JSON notation, so a tuple stays a tuple and a set a set when compared.
        def enc(v):
            t = type(v)
            if t is int and v.bit_length() > 12000:
                return {"$hex": hex(v)}  # decimal conversion of huge ints is quadratic; hex is linear
            if v is None or t is bool or t is str or t is int:
                return v
            if t is float:
                if v != v:
                    return {"$float": "nan"}
                if math.isinf(v):
                    return {"$float": "inf" if v > 0 else "-inf"}
                return v
            if t is list:
                # Elements that are written as they are (exact ints of decimal size, finite floats, strs, bools, None)
                # are kept without a call each: most answers are lists of them.
                return [x if ((tx := type(x)) is int and -HEX_LIMIT < x < HEX_LIMIT) or tx is str
                        or (tx is float and -INF < x < INF) or tx is bool or x is None else enc(x) for x in v]
            if t is tuple:
                return {"$tuple": [enc(x) for x in v]}
            if t is dict:
                return {"$dict": [[enc(k), enc(x)] for k, x in v.items()]}
            if t is set:
                return {"$set": [enc(x) for x in v]}
            if t is frozenset:
                return {"$frozenset": [enc(x) for x in v]}
            if t is bytes or t is bytearray:
                return {"$bytes": base64.b64encode(bytes(v)).decode("ascii")}
            if t is complex:
                return {"$complex": [enc(v.real), enc(v.imag)]}
            if t.__module__ == NUMPY:
                return enc(v.tolist() if hasattr(v, "tolist") else v.item())
            raise TypeError("the answer has type %s, which has no JSON form" % t.__name__)

        def dec(x):
            if type(x) is list:
                return [dec(e) for e in x]
            if type(x) is not dict:
                return x
            if len(x) == 1:
                (k, v), = x.items()
                if k == "$tuple":
                    return tuple(dec(e) for e in v)
                if k == "$set":
                    return {dec(e) for e in v}
                if k == "$frozenset":
                    return frozenset(dec(e) for e in v)
                if k == "$dict":
                    return {dec(a): dec(b) for a, b in v}
                if k == "$float":
                    return float(v)
                if k == "$bytes":
                    return base64.b64decode(v)
                if k == "$complex":
                    return complex(dec(v[0]), dec(v[1]))
                if k == "$hex":
                    return int(v, 16)
            return {k: dec(v) for k, v in x.items()}

        # stdin: the solution as one JSON string on the first line, then "<index> <arguments>" per line. No files, so
        # the run can be a fork of a zygote rather than a cold sandbox.
        request = sys.stdin.buffer.read().decode("utf-8").split("\n")
        source = json.loads(request[0])
        inputs = [(int(line[:line.index(" ")]), line[line.index(" ") + 1:]) for line in request[1:] if line.strip()]
        answers = os.fdopen(os.dup(1), "w")
        sys.stdout = open(os.devnull, "w")  # the solution's prints cannot corrupt the answer stream
        namespace = {}
        exec(compile(source, "solution.py", "exec"), namespace)
        fn = namespace[entry]
        # The C encoder JSONEncoder.encode builds on each call, built once (the same text). No circular-reference
        # bookkeeping: what it gets is built fresh by enc.
        c_encode = json.encoder.c_make_encoder(None, json.JSONEncoder().default, json.encoder.encode_basestring_ascii,
                                               None, ":", ",", False, False, False)

        def encode(v):
            return "".join(c_encode(v, 0))

        written = time.perf_counter()
        process_time, loads = time.process_time, json.loads
        # Consecutive inputs share one CPU clock reading (the end of one is the start of the next): the few
        # microseconds of decoding and encoding between calls count to the later input, far below any limit's scale
        # (EvalPlus's rule is max(4 s, 4 × this time)), and each reading is a system call.
        clock = process_time()
        for index, text in inputs:
            try:
                # Fresh objects from the JSON each time, which is what EvalPlus's deep copy of the inputs gives; only
                # arguments with a JSON object in them can hold typed values to rebuild.
                args = loads(text)
                if "{" in text:
                    args = dec(args)
                started = clock
                try:
                    deadline[0] = started + per_input
                    value = fn(*args)
                finally:
                    deadline[0] = math.inf
                clock = process_time()
                spent = clock - started
                if not_none:  # EvalPlus keeps only whether such answers are None
                    value = value is not None
                # Compact, as the judge's harness writes returned values: a correct return is then the same bytes as
                # its answer, which the judge accepts without parsing either (answers of many MB on HumanEval+).
                line = '{"i":%d,"ok":true,"out":%s,"t":%.6f}' % (index, encode(enc(value)), spent)
            except Overtime:
                line = json.dumps({"i": index, "ok": False, "error": "took more than %g s of CPU" % per_input})
                clock = process_time()  # a failed input's time never counts to the next one
            except BaseException as e:
                line = json.dumps({"i": index, "ok": False, "error": (type(e).__name__ + ": " + str(e))[:300]})
                clock = process_time()
            answers.write(line + "\n")
            if time.perf_counter() - written >= flush_every:
                answers.flush()
                written = time.perf_counter()
        answers.flush()
        signal.setitimer(signal.ITIMER_PROF, 0)  # no tick left to kill the interpreter's own shutdown
        """;
}
