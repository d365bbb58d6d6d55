namespace QapiGen.Host.Options;

/// <summary>A monitor to create at start (<c>-mon</c>, or implied by <c>-qmp</c>).</summary>
/// <param name="Id">Monitor id; null picks "monN".</param>
/// <param name="Chardev">The chardev it is the frontend of.</param>
/// <param name="Pretty">Indented JSON output.</param>
public sealed record MonitorSpec(string? Id, string Chardev, bool Pretty);
