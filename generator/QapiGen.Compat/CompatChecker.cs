using System;
using System.Collections.Generic;
using System.Linq;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Introspection;

namespace QapiGen.Compat;

/// <summary>
/// Compares what QMP clients observe of two versions, following the compatibility rules of the
/// QAPI documentation. Type names are not part of the wire (introspection masks them and they
/// may be renamed freely), so types are matched by how they are reached: command X's arguments,
/// member Y, branch Z... Types reached from arguments get the input rules, those reached from
/// returns and events the output rules, and types reached both ways get both.
/// </summary>
public sealed class CompatChecker
{
    private readonly SchemaSnapshot _old;
    private readonly SchemaSnapshot _new;
    private readonly FindingCollector _out = new();
    // Type pairs already compared in a direction (and whether under a covering feature): a type
    // used by a hundred commands is compared once, and recursive types terminate.
    private readonly HashSet<(string, string, Direction, bool)> _done = new();

    /// <summary>
    /// How many references deep (member, element, branch, alternative) a comparison follows types,
    /// and how deep unions may nest through their branches. The comparison recurses along them;
    /// QEMU's own schemas stay well within the bound (QemuHistoryTests compares them all). Deeper
    /// types are reported as an error, not compared.
    /// </summary>
    public const int MaxNesting = 64;

    /// <summary>How many wire shapes (one per branch, per branch of a branch...) one object may have.</summary>
    public const int MaxShapes = 100_000;

    private CompatChecker(SchemaSnapshot old, SchemaSnapshot @new)
    {
        _old = old;
        _new = @new;
    }

    public static IReadOnlyList<Finding> Compare(SchemaSnapshot old, SchemaSnapshot @new)
    {
        var checker = new CompatChecker(old, @new);
        checker.CompareCommands();
        checker.CompareEvents();
        return checker._out.Findings;
    }

    private void CompareCommands()
    {
        var newByName = _new.Commands.ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (SchemaInfoCommand oc in _old.Commands)
        {
            var reach = new Reach(oc.Name, FeatureCover.Of(oc.Features, oc.Name, $"command '{oc.Name}'"));
            if (!newByName.TryGetValue(oc.Name, out SchemaInfoCommand? nc))
            {
                _out.Add(Direction.Input, FindingClass.BreakingForSenders, "command-removed",
                    new Owner(oc.Name, null, Loc(oc.Info), null), $"command '{oc.Name}' removed", reach);
                continue;
            }
            var owner = new Owner(oc.Name, null, Loc(oc.Info), Loc(nc.Info));
            CompareFeatures(Direction.Input, oc.Features, nc.Features, owner, $"command '{oc.Name}'", reach);
            if (oc.AllowOob && !nc.AllowOob)
            {
                _out.Add(Direction.Input, FindingClass.BreakingForSenders, "allow-oob-removed", owner with { Member = "allow-oob" },
                    $"command '{oc.Name}' no longer allows out-of-band execution", reach);
            }
            else if (!oc.AllowOob && nc.AllowOob)
            {
                _out.Add(Direction.Input, FindingClass.Compatible, "allow-oob-added", owner with { Member = "allow-oob" },
                    $"command '{oc.Name}' now allows out-of-band execution", reach);
            }

            if (oc.AllowPreconfig == true && nc.AllowPreconfig == false)
            {
                _out.Add(Direction.Input, FindingClass.BreakingForSenders, "allow-preconfig-removed", owner with { Member = "allow-preconfig" },
                    $"command '{oc.Name}' is no longer allowed in preconfig state", reach);
            }
            else if (oc.AllowPreconfig == false && nc.AllowPreconfig == true)
            {
                _out.Add(Direction.Input, FindingClass.Compatible, "allow-preconfig-added", owner with { Member = "allow-preconfig" },
                    $"command '{oc.Name}' is now allowed in preconfig state", reach);
            }

            CompareRef(oc.ArgType, nc.ArgType, null, null, Direction.Input, reach.Child("(arguments)"), owner with { Member = "arguments" });
            CompareRef(oc.RetType, nc.RetType, null, null, Direction.Output, reach.Child("(return)"), owner with { Member = "return" });
        }
        var oldNames = new HashSet<string>(_old.Commands.Select(c => c.Name), StringComparer.Ordinal);
        foreach (SchemaInfoCommand? nc in _new.Commands.Where(c => !oldNames.Contains(c.Name)))
        {
            _out.Add(Direction.Input, FindingClass.Compatible, "command-added", new Owner(nc.Name, null, null, Loc(nc.Info)),
                $"command '{nc.Name}' added", new Reach(nc.Name, null));
        }
    }

    private void CompareEvents()
    {
        var newByName = _new.Events.ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (SchemaInfoEvent oe in _old.Events)
        {
            var reach = new Reach(oe.Name, FeatureCover.Of(oe.Features, oe.Name, $"event '{oe.Name}'"));
            if (!newByName.TryGetValue(oe.Name, out SchemaInfoEvent? ne))
            {
                _out.Add(Direction.Output, FindingClass.BreakingForReaders, "event-removed",
                    new Owner(oe.Name, null, Loc(oe.Info), null), $"event '{oe.Name}' removed", reach);
                continue;
            }
            var owner = new Owner(oe.Name, null, Loc(oe.Info), Loc(ne.Info));
            CompareFeatures(Direction.Output, oe.Features, ne.Features, owner, $"event '{oe.Name}'", reach);
            CompareRef(oe.ArgType, ne.ArgType, null, null, Direction.Output, reach.Child("(data)"), owner with { Member = "data" });
        }
        var oldNames = new HashSet<string>(_old.Events.Select(e => e.Name), StringComparer.Ordinal);
        foreach (SchemaInfoEvent? ne in _new.Events.Where(e => !oldNames.Contains(e.Name)))
        {
            _out.Add(Direction.Output, FindingClass.Compatible, "event-added", new Owner(ne.Name, null, null, Loc(ne.Info)),
                $"event '{ne.Name}' added", new Reach(ne.Name, null));
        }
    }

    /// <summary>Special features appearing or disappearing are worth knowing, never breaking by themselves.</summary>
    private void CompareFeatures(Direction dir, IReadOnlyList<SchemaInfoFeature> oldF, IReadOnlyList<SchemaInfoFeature> newF,
        Owner owner, string what, Reach reach)
    {
        foreach (string special in new[] { "deprecated", "unstable" })
        {
            bool before = FeatureCover.HasSpecial(oldF, special);
            bool after = FeatureCover.HasSpecial(newF, special);
            if (before != after)
            {
                _out.Add(dir, FindingClass.Compatible, after ? $"now-{special}" : $"no-longer-{special}", owner,
                    after ? $"{what} is now {special}" : $"{what} is no longer {special}", reach);
            }
        }
    }

    // ---- type references -------------------------------------------------------------------

    /// <summary>The JSON-level kind of a type, which decides which rules compare it.</summary>
    private static string KindOf(SchemaInfoEntry e) => e switch
    {
        SchemaInfoBuiltin b => b.JsonType switch
        {
            "string" => "str",
            "value" => "any",
            var t => t,
        },
        SchemaInfoEnum => "enum",
        SchemaInfoArray => "array",
        SchemaInfoObject => "object",
        SchemaInfoAlternate => "alternate",
        _ => e.MetaType,
    };

    /// <summary>The JSON type an alternate uses to pick a branch (strings and enums share one, as do int and number).</summary>
    private static string QTypeOf(string kind) => kind switch
    {
        "enum" or "str" => "string",
        "int" or "number" => "number",
        _ => kind,
    };

    private string Describe(SchemaSnapshot side, SchemaInfoEntry e, string? schemaType)
    {
        switch (e)
        {
            case SchemaInfoBuiltin b:
                return schemaType != null && IntegerRanges.TryGet(schemaType, out _) ? schemaType : b.Name;
            case SchemaInfoArray a:
                return "array of " + Describe(side, side.Resolve(a.ElementType), IntegerRanges.ElementOf(schemaType));
            default:
                return e.SchemaName != null ? $"{e.MetaType} {DisplayName(e.SchemaName)}" : e.MetaType;
        }
    }

    /// <summary>
    /// Compares what a reference (argument type, member type, element type...) admits in the two
    /// versions. Differences in the reference itself are reported against <paramref name="owner"/>;
    /// differences inside a named enum, object or alternate against that definition.
    /// </summary>
    private void CompareRef(string oldName, string newName, string? oldSchemaType, string? newSchemaType,
        Direction dir, Reach reach, Owner owner)
    {
        SchemaInfoEntry o = _old.Resolve(oldName);
        SchemaInfoEntry n = _new.Resolve(newName);
        if (reach.Depth > MaxNesting)
        {
            throw new CompatLoadException($"{Loc(o.Info)?.ToString() ?? _old.Source}: types nest more than {MaxNesting} levels deep, at {reach.Path}");
        }

        string ko = KindOf(o);
        string kn = KindOf(n);
        bool input = dir == Direction.Input;
        FindingClass breaking = input ? FindingClass.BreakingForSenders : FindingClass.BreakingForReaders;
        string Change() => $"type changed from {Describe(_old, o, oldSchemaType)} to {Describe(_new, n, newSchemaType)}";

        if (ko == "alternate" || kn == "alternate")
        {
            if (ko == "any" || kn == "any")
            {
                CompareAny(ko, kn, dir, reach, owner, Change());
                return;
            }
            CompareAlternatives(o, n, oldSchemaType, newSchemaType, dir, reach, owner);
            return;
        }
        if (ko == "any" || kn == "any")
        {
            CompareAny(ko, kn, dir, reach, owner, Change());
            return;
        }
        if (ko != kn)
        {
            // Changes that only widen (input) or narrow (output) what is allowed keep clients working.
            bool widened = (ko, kn) is ("enum", "str") or ("int", "number");
            bool narrowed = (ko, kn) is ("str", "enum") or ("number", "int");
            if (widened)
            {
                _out.Add(dir, input ? FindingClass.Compatible : breaking, "type-widened", owner, Change(), reach);
            }
            else if (narrowed)
            {
                _out.Add(dir, input ? breaking : FindingClass.Compatible, "type-narrowed", owner, Change(), reach);
            }
            else
            {
                _out.Add(dir, breaking, "type-changed", owner, Change(), reach);
            }

            return;
        }
        switch (ko)
        {
            case "int":
                if (IntegerRanges.TryGet(oldSchemaType, out (Int128 Min, Int128 Max) ro) && IntegerRanges.TryGet(newSchemaType, out (Int128 Min, Int128 Max) rn) && ro != rn)
                {
                    // Input must still accept every old value; output must stay within what readers expect.
                    bool ok = input ? IntegerRanges.Contains(rn, ro) : IntegerRanges.Contains(ro, rn);
                    string kind = IntegerRanges.Contains(rn, ro) ? "type-widened" : "type-narrowed";
                    _out.Add(dir, ok ? FindingClass.Compatible : breaking, kind, owner, Change(), reach);
                }
                break;
            case "enum":
                CompareEnums((SchemaInfoEnum)o, (SchemaInfoEnum)n, dir, reach);
                break;
            case "array":
                CompareRef(((SchemaInfoArray)o).ElementType, ((SchemaInfoArray)n).ElementType,
                    IntegerRanges.ElementOf(oldSchemaType), IntegerRanges.ElementOf(newSchemaType), dir, reach.Child("[]"), owner);
                break;
            case "object":
                CompareObjects((SchemaInfoObject)o, (SchemaInfoObject)n, dir, reach);
                break;
        }
    }

    private void CompareAny(string ko, string kn, Direction dir, Reach reach, Owner owner, string change)
    {
        if (ko == kn)
        {
            return;
        }

        bool input = dir == Direction.Input;
        if (kn == "any")
        {
            _out.Add(dir, input ? FindingClass.Compatible : FindingClass.BreakingForReaders, "type-widened", owner, change, reach);
        }
        else
        {
            _out.Add(dir, input ? FindingClass.BreakingForSenders : FindingClass.Compatible, "type-narrowed", owner, change, reach);
        }
    }

    /// <summary>
    /// Alternates (or a type becoming / ceasing to be one): branches are matched by the JSON type
    /// that selects them. Input must still accept every old branch; output must not produce a new one.
    /// </summary>
    private void CompareAlternatives(SchemaInfoEntry o, SchemaInfoEntry n, string? oldSchemaType, string? newSchemaType,
        Direction dir, Reach reach, Owner owner)
    {
        bool bothAlternates = o is SchemaInfoAlternate && n is SchemaInfoAlternate;
        if (bothAlternates)
        {
            if (!_done.Add((o.Name, n.Name, dir, reach.CoveredBy != null)))
            {
                return;
            }

            owner = new Owner(DisplayName(o.SchemaName ?? n.SchemaName) ?? reach.Path, null, Loc(o.Info), Loc(n.Info), "old:" + o.Name);
        }
        Dictionary<string, Branch> oldBranches = Branches(_old, o, oldSchemaType);
        Dictionary<string, Branch> newBranches = Branches(_new, n, newSchemaType);
        bool input = dir == Direction.Input;
        foreach ((string? qtype, Branch? ob) in oldBranches)
        {
            Owner branchOwner = bothAlternates ? owner with { Member = ob.Label } : owner;
            Reach branchReach = reach.Child(bothAlternates ? $"<{qtype}>" : "");
            if (!newBranches.TryGetValue(qtype, out Branch? nb))
            {
                _out.Add(dir, input ? FindingClass.BreakingForSenders : FindingClass.Compatible, "alternative-removed", branchOwner,
                    $"{qtype} values ({Describe(_old, ob.Entry, ob.SchemaType)}) no longer accepted", branchReach);
                continue;
            }
            CompareRef(ob.Entry.Name, nb.Entry.Name, ob.SchemaType, nb.SchemaType, dir, branchReach, branchOwner);
        }
        foreach ((string? qtype, Branch? nb) in newBranches.Where(kv => !oldBranches.ContainsKey(kv.Key)))
        {
            Owner branchOwner = bothAlternates ? owner with { Member = nb.Label } : owner;
            _out.Add(dir, input ? FindingClass.Compatible : FindingClass.BreakingForReaders, "alternative-added", branchOwner,
                $"{qtype} values ({Describe(_new, nb.Entry, nb.SchemaType)}) now possible", reach);
        }
    }

    private sealed record Branch(SchemaInfoEntry Entry, string? SchemaType, string Label);

    private static Dictionary<string, Branch> Branches(SchemaSnapshot side, SchemaInfoEntry e, string? schemaType)
    {
        var result = new Dictionary<string, Branch>(StringComparer.Ordinal);
        if (e is SchemaInfoAlternate alt)
        {
            foreach (SchemaInfoAlternative m in alt.Members)
            {
                SchemaInfoEntry t = side.Resolve(m.Type);
                string qtype = QTypeOf(KindOf(t));
                result.TryAdd(qtype, new Branch(t, m.SchemaType, m.SchemaName ?? qtype));
            }
        }
        else
        {
            result[QTypeOf(KindOf(e))] = new Branch(e, schemaType, QTypeOf(KindOf(e)));
        }
        return result;
    }

    // ---- enums -------------------------------------------------------------------------------

    private void CompareEnums(SchemaInfoEnum o, SchemaInfoEnum n, Direction dir, Reach reach)
    {
        if (!_done.Add((o.Name, n.Name, dir, reach.CoveredBy != null)))
        {
            return;
        }

        string def = DisplayName(o.SchemaName ?? n.SchemaName) ?? reach.Path;
        var owner = new Owner(def, null, Loc(o.Info), Loc(n.Info), "old:" + o.Name);
        var newValues = n.Members.ToDictionary(m => m.Name, StringComparer.Ordinal);
        bool input = dir == Direction.Input;
        foreach (SchemaInfoEnumMember ov in o.Members)
        {
            Owner valueOwner = owner with { Member = ov.Name };
            if (!newValues.TryGetValue(ov.Name, out SchemaInfoEnumMember? nv))
            {
                // Removing a value that can no longer be sent makes no difference to readers.
                _out.Add(dir, input ? FindingClass.BreakingForSenders : FindingClass.Compatible, "value-removed", valueOwner,
                    $"value '{ov.Name}' removed", reach, FeatureCover.Of(ov.Features, ov.Name, $"value '{ov.Name}'"));
                continue;
            }
            CompareFeatures(dir, ov.Features, nv.Features, valueOwner, $"value '{ov.Name}'", reach);
        }
        var oldValues = new HashSet<string>(o.Members.Select(m => m.Name), StringComparer.Ordinal);
        foreach (SchemaInfoEnumMember? nv in n.Members.Where(m => !oldValues.Contains(m.Name)))
        {
            // The documentation calls adding values compatible both ways; readers must expect new ones.
            _out.Add(dir, FindingClass.Compatible, "value-added", owner with { Member = nv.Name },
                input ? $"value '{nv.Name}' added" : $"value '{nv.Name}' added (readers may now receive it)", reach);
        }
    }

    // ---- objects -----------------------------------------------------------------------------

    /// <summary>A member as a client sees it in one concrete shape of an object, and whom to report it against.</summary>
    private sealed record FlatMember(SchemaInfoObjectMember Member, string Owner, QapiSourceInfo? OwnerInfo, string OwnerKey);

    /// <summary>
    /// The concrete shapes an object takes on the wire: one for a struct, one per branch for a
    /// union (common members plus the branch's). Comparing shape by shape makes refactorings such
    /// as moving members between a base and the branches invisible, as they are to clients.
    /// </summary>
    private static List<(string? Case, List<FlatMember> Members)> Shapes(SchemaSnapshot side, SchemaInfoObject obj, string display, string sideTag,
        int depth = 0)
    {
        // Branches may be unions (and a reply may even make them cycle): the recursion is bounded,
        // and so is the number of shapes, which multiplies at every level.
        if (depth > MaxNesting)
        {
            throw new CompatLoadException($"{Loc(obj.Info)?.ToString() ?? side.Source}: unions nest more than {MaxNesting} levels deep through their branches");
        }

        var common = obj.Members.Select(m => new FlatMember(m, DisplayName(m.DefinedIn) ?? display, m.Info ?? obj.Info,
            m.DefinedIn ?? sideTag + obj.Name)).ToList();
        var shapes = new List<(string?, List<FlatMember>)>();
        if (obj.Variants == null)
        {
            shapes.Add((null, common));
            return shapes;
        }
        foreach (SchemaInfoVariant v in obj.Variants)
        {
            SchemaInfoObject branch = side.Resolve(v.Type) as SchemaInfoObject
                ?? throw new CompatLoadException($"{side.Source}: branch '{v.Case}' of '{obj.Name}' is not an object type");
            string branchDisplay = DisplayName(branch.SchemaName) ?? $"{display}{{{v.Case}}}";
            foreach ((string? sub, List<FlatMember>? members) in Shapes(side, branch, branchDisplay, sideTag, depth + 1))
            {
                string label = sub == null ? v.Case : v.Case + "/" + sub;
                if (shapes.Count == MaxShapes)
                {
                    throw new CompatLoadException($"{Loc(obj.Info)?.ToString() ?? side.Source}: '{display}' takes more than {MaxShapes} shapes through its branches");
                }

                shapes.Add((label, common.Concat(members).ToList()));
            }
        }
        return shapes;
    }

    private void CompareObjects(SchemaInfoObject o, SchemaInfoObject n, Direction dir, Reach reach)
    {
        if (!_done.Add((o.Name, n.Name, dir, reach.CoveredBy != null)))
        {
            return;
        }

        string oldDisplay = DisplayName(o.SchemaName) ?? DisplayName(n.SchemaName) ?? reach.Path;
        string newDisplay = DisplayName(n.SchemaName) ?? oldDisplay;
        List<(string? Case, List<FlatMember> Members)> oldShapes = Shapes(_old, o, oldDisplay, "old:");
        List<(string? Case, List<FlatMember> Members)> newShapes = Shapes(_new, n, newDisplay, "new:");

        if (o.Variants != null && n.Variants != null)
        {
            // Cases that exist on one side only are the tag enum's business (value added / removed).
            var newByCase = newShapes.ToDictionary(s => s.Case!, s => s.Members, StringComparer.Ordinal);
            foreach ((string? label, List<FlatMember>? members) in oldShapes)
            {
                if (newByCase.TryGetValue(label!, out List<FlatMember>? newMembers))
                {
                    CompareMembers(members, newMembers, dir, reach.Child($"{{{label}}}"));
                }
            }
        }
        else
        {
            foreach ((string? oldLabel, List<FlatMember>? oldMembers) in oldShapes)
            {
                foreach ((string? newLabel, List<FlatMember>? newMembers) in newShapes)
                {
                    string? label = oldLabel ?? newLabel;
                    CompareMembers(oldMembers, newMembers, dir, label == null ? reach : reach.Child($"{{{label}}}"));
                }
            }
        }
    }

    private void CompareMembers(List<FlatMember> oldMembers, List<FlatMember> newMembers, Direction dir, Reach reach)
    {
        bool input = dir == Direction.Input;
        var oldByName = oldMembers.ToDictionary(m => m.Member.Name, StringComparer.Ordinal);
        var newByName = newMembers.ToDictionary(m => m.Member.Name, StringComparer.Ordinal);
        var removed = oldMembers.Where(m => !newByName.ContainsKey(m.Member.Name)).ToList();
        var added = newMembers.Where(m => !oldByName.ContainsKey(m.Member.Name)).ToList();

        // One member gone and one new in the same shape, of the same kind of type: most likely a rename.
        if (removed.Count == 1 && added.Count == 1
            && KindOf(_old.Resolve(removed[0].Member.Type)) == KindOf(_new.Resolve(added[0].Member.Type)))
        {
            (FlatMember? r, FlatMember? a) = (removed[0], added[0]);
            var owner = new Owner(r.Owner, r.Member.Name, Loc(r.OwnerInfo), Loc(a.OwnerInfo), r.OwnerKey);
            string? cover = FeatureCover.Of(r.Member.Features, r.Member.Name, $"member '{r.Member.Name}'");
            // Senders of the old name are refused; readers only miss it if it was always sent.
            FindingClass cls = input ? FindingClass.BreakingForSenders
                : r.Member.Optional ? FindingClass.Compatible : FindingClass.BreakingForReaders;
            _out.Add(dir, cls, "member-renamed", owner, $"member '{r.Member.Name}' renamed to '{a.Member.Name}' (or removed and '{a.Member.Name}' added)",
                reach.Child("." + r.Member.Name), cover);
            removed.Clear();
            added.Clear();
        }

        foreach (FlatMember? r in removed)
        {
            SchemaInfoObjectMember m = r.Member;
            var owner = new Owner(r.Owner, m.Name, Loc(r.OwnerInfo), null, r.OwnerKey);
            string? cover = FeatureCover.Of(m.Features, m.Name, $"member '{m.Name}'");
            Reach memberReach = reach.Child("." + m.Name);
            if (input)
            {
                _out.Add(dir, FindingClass.BreakingForSenders, "member-removed", owner, $"member '{m.Name}' removed", memberReach, cover);
            }
            else if (m.Optional)
            {
                _out.Add(dir, FindingClass.Compatible, "optional-member-removed", owner, $"optional member '{m.Name}' no longer sent", memberReach, cover);
            }
            else
            {
                _out.Add(dir, FindingClass.BreakingForReaders, "member-removed", owner, $"member '{m.Name}' removed", memberReach, cover);
            }
        }
        foreach (FlatMember? a in added)
        {
            SchemaInfoObjectMember m = a.Member;
            var owner = new Owner(a.Owner, m.Name, null, Loc(a.OwnerInfo), a.OwnerKey);
            Reach memberReach = reach.Child("." + m.Name);
            if (input && !m.Optional)
            {
                _out.Add(dir, FindingClass.BreakingForSenders, "mandatory-member-added", owner, $"mandatory member '{m.Name}' added", memberReach);
            }
            else
            {
                _out.Add(dir, FindingClass.Compatible, input ? "optional-member-added" : "member-added", owner,
                    input ? $"optional member '{m.Name}' added" : $"member '{m.Name}' added", memberReach);
            }
        }
        foreach (FlatMember om in oldMembers)
        {
            if (!newByName.TryGetValue(om.Member.Name, out FlatMember? nm))
            {
                continue;
            }

            (SchemaInfoObjectMember? o, SchemaInfoObjectMember? n) = (om.Member, nm.Member);
            var owner = new Owner(om.Owner, o.Name, Loc(om.OwnerInfo), Loc(nm.OwnerInfo), om.OwnerKey);
            string? cover = FeatureCover.Of(o.Features, o.Name, $"member '{o.Name}'");
            Reach memberReach = reach.Child("." + o.Name, cover);
            if (o.Optional && !n.Optional)
            {
                _out.Add(dir, input ? FindingClass.BreakingForSenders : FindingClass.Compatible, "member-now-mandatory", owner,
                    $"member '{o.Name}' changed from optional to mandatory", memberReach);
            }
            else if (!o.Optional && n.Optional)
            {
                _out.Add(dir, input ? FindingClass.Compatible : FindingClass.BreakingForReaders, "member-now-optional", owner,
                    $"member '{o.Name}' changed from mandatory to optional", memberReach);
            }

            CompareFeatures(dir, o.Features, n.Features, owner, $"member '{o.Name}'", memberReach);
            CompareRef(o.Type, n.Type, o.SchemaType, n.SchemaType, dir, memberReach, owner);
        }
    }

    // ---- naming ------------------------------------------------------------------------------

    /// <summary>
    /// How findings name a schema type: implicit argument types by their command or event,
    /// implicit union bases by their union. Null when the name is unknown (read from the wire).
    /// </summary>
    internal static string? DisplayName(string? schemaName)
    {
        if (schemaName == null)
        {
            return null;
        }

        if (schemaName.StartsWith("q_obj_", StringComparison.Ordinal))
        {
            string inner = schemaName.Substring(6);
            if (inner.EndsWith("-arg", StringComparison.Ordinal))
            {
                return inner.Substring(0, inner.Length - 4);
            }

            if (inner.EndsWith("-base", StringComparison.Ordinal))
            {
                return inner.Substring(0, inner.Length - 5);
            }
        }
        return schemaName;
    }

    // Line only: columns are found afterwards in the text (LocationRefiner), which the model does not keep.
    private static SourceLocation? Loc(QapiSourceInfo? info) => info == null ? null : new SourceLocation(info.FileName, info.Line);
}
