namespace QapiGen.Migration.Transports;

/// <summary>Which end of a migration a transport serves.</summary>
public enum MigrationDirection
{
    /// <summary>The source: <c>migrate</c>.</summary>
    Outgoing,
    /// <summary>The destination: <c>migrate-incoming</c> / <c>-incoming</c>.</summary>
    Incoming,
}
