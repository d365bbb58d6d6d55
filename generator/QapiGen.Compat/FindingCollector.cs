using System.Collections.Generic;

namespace QapiGen.Compat;

/// <summary>
/// Gathers findings once each: the same change is usually met through many paths (a type used by
/// many commands), and is reported once per direction with the first path that reached it. A change
/// met both under a deprecated path and a normal one is breaking, not covered.
/// </summary>
internal sealed class FindingCollector
{
    private readonly Dictionary<(Direction, string, string, string?), int> _index = new();
    private readonly List<Finding> _findings = new();

    public IReadOnlyList<Finding> Findings => _findings;

    public void Add(Direction direction, FindingClass ifBreaking, string kind, Owner owner, string message, Reach reach,
        string? extraCover = null)
    {
        string? cover = reach.CoveredBy ?? extraCover;
        FindingClass cls = ifBreaking.IsBreaking() && cover != null ? FindingClass.CoveredByFeature : ifBreaking;
        var finding = new Finding(cls, direction, kind, owner.Definition, owner.Member, message, reach.Path,
            owner.OldLocation, owner.NewLocation, cls == FindingClass.CoveredByFeature ? cover : null);
        (Direction direction, string kind, string, string? Member) key = (direction, kind, owner.Key ?? owner.Definition, owner.Member);
        if (_index.TryGetValue(key, out int i))
        {
            if (_findings[i].Class == FindingClass.CoveredByFeature && cls.IsBreaking())
            {
                _findings[i] = finding;
            }

            return;
        }
        _index[key] = _findings.Count;
        _findings.Add(finding);
    }
}
