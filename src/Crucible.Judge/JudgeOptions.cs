namespace Crucible.Judge;

/// <summary>How to judge: limits, stopping policy, batching, detail level.</summary>
public sealed record JudgeOptions
{
    /// <summary>
    /// Stop at the first failing test (RL reward mode); later tests are reported Skipped. Function-call and assertion
    /// tests run in batches whose wrong answers are found on the host afterwards, so tests after the first failure
    /// may have run; they are still reported Skipped and never counted. Checker tests run every program first and
    /// the checkers afterwards (one session at a time), so they do not stop early either.
    /// </summary>
    public bool StopAtFirstFailure { get; init; }

    /// <summary>CPU time per test when neither the test nor the problem sets one.</summary>
    public TimeSpan DefaultCpuTimePerTest { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Memory per test when the problem does not set one.</summary>
    public long DefaultMemoryBytes { get; init; } = 512L << 20;

    /// <summary>Overrides every test's CPU limit (the test's, the problem's and the default).</summary>
    public TimeSpan? CpuTimePerTestOverride { get; init; }

    /// <summary>Length of expected/actual previews kept per test.</summary>
    public int PreviewChars { get; init; } = 200;

    /// <summary>
    /// Keep expected/actual previews of tests that pass too (function-call tests). Off for callers that show previews
    /// of failures only (<c>crucible eval</c> stores the first failing test's): rendering one for each of the hundreds
    /// of thousands of passing tests of a HumanEval+ run was host CPU spent on text no one reads.
    /// </summary>
    public bool PassedTestPreviews { get; init; } = true;

    /// <summary>
    /// Run all function-call (and all assertion) tests of a submission in one process, with per-test results, instead
    /// of one process per test. A crash, kill or limit in the middle falls back to running that test alone, so every
    /// verdict stays per-test exact. Off: every test is its own process (CPU limits then also hold against a
    /// solution that tampers with the harness's timer; see docs/judge.md).
    /// </summary>
    public bool Batch { get; init; } = true;

    /// <summary>
    /// CPU a test run alone (Batch = false, or a rerun after a crash in a batch) may use beyond its limit, for the
    /// interpreter and harness start-up and loading the solution. The host enforces limit + this on the whole
    /// process, whatever the solution does to the in-process timer.
    /// </summary>
    public TimeSpan SingleTestStartupCpu { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>
    /// Python run in the solution's module before it, for function-call tests: LeetCode-style solutions use
    /// <c>List</c>, <c>defaultdict</c>, <c>heapq</c> … without importing them, as LiveCodeBench's grader allows.
    /// Null or empty for none.
    /// </summary>
    public string? PythonPrelude { get; init; } = StandardPythonPrelude;

    /// <summary>CPU time for trusted helper processes: checkers and the assertion driver.</summary>
    public TimeSpan HelperCpuTime { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Memory for trusted helper processes.</summary>
    public long HelperMemoryBytes { get; init; } = 1L << 30;

    /// <summary>
    /// Rounds of driver/solution exchange an assertion test may take (a round is needed each time the script's
    /// calls depend on earlier results in a way one round could not foresee; ordinary scripts take two).
    /// </summary>
    public int MaxAssertionRounds { get; init; } = 8;

    /// <summary>
    /// Tests of one <see cref="TestCase.Group"/> share a CPU budget of min(this, Σ their limits) + 1 s, as EvalPlus
    /// gives each split (<c>EVALPLUS_TIMEOUT_PER_TASK</c>, 60 s); when it is spent the rest of the group is not run
    /// and counts as TimeLimitExceeded. It bounds a sample that times out on every test, with or without --details.
    /// </summary>
    public TimeSpan GroupTimeBudgetCap { get; init; } = TimeSpan.FromSeconds(60);

    public static JudgeOptions Default { get; } = new();

    /// <summary>
    /// The modules LeetCode-style solutions expect to be there, star-imported, builtins restored last; and LeetCode's
    /// <c>ListNode</c>/<c>TreeNode</c> classes, which LeetCode solutions use without defining (the judge's harness
    /// carries such nodes between the check script and the solution as lists, LeetCode's own notation).
    /// </summary>
    public const string StandardPythonPrelude =
        "import sys, os, re, math, cmath, string, random, heapq, bisect, itertools, functools, operator, collections, copy, json, statistics, decimal, fractions, datetime\n" +
        "from typing import *\nfrom collections import *\nfrom heapq import *\nfrom bisect import *\nfrom itertools import *\n" +
        "from functools import *\nfrom math import *\nfrom string import *\nfrom operator import *\nfrom builtins import *\n" +
        "class ListNode:\n    def __init__(self, val=0, next=None):\n        self.val = val\n        self.next = next\n" +
        "class TreeNode:\n    def __init__(self, val=0, left=None, right=None):\n        self.val = val\n        self.left = left\n        self.right = right\n";
}
