namespace QapiGen.Compat;

/// <summary>How a change affects existing QMP clients.</summary>
public enum FindingClass
{
    /// <summary>A client that sends what the old version accepted can now be refused.</summary>
    BreakingForSenders,

    /// <summary>A client that reads replies or events as the old version described them can now be surprised.</summary>
    BreakingForReaders,

    /// <summary>Would break, but what changed was marked <c>deprecated</c> or <c>unstable</c>, so clients were warned.</summary>
    CoveredByFeature,

    /// <summary>Observable by a client (e.g. in introspection) but breaks nothing.</summary>
    Compatible,
}

/// <summary>Which way data flows where a change was found; decides which rules apply.</summary>
public enum Direction
{
    /// <summary>Sent by the client: command arguments and everything reachable from them.</summary>
    Input,

    /// <summary>Read by the client: command returns, event data and everything reachable from them.</summary>
    Output,
}

public static class FindingClassNames
{
    /// <summary>The stable spelling used in output (human and JSON).</summary>
    public static string ToText(this FindingClass c) => c switch
    {
        FindingClass.BreakingForSenders => "breaking-for-senders",
        FindingClass.BreakingForReaders => "breaking-for-readers",
        FindingClass.CoveredByFeature => "covered-by-feature",
        _ => "compatible",
    };

    public static string ToText(this Direction d) => d == Direction.Input ? "input" : "output";

    public static bool IsBreaking(this FindingClass c)
        => c is FindingClass.BreakingForSenders or FindingClass.BreakingForReaders;
}
