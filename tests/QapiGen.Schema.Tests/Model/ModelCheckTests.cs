using System.Linq;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
using Xunit;

namespace QapiGen.Schema.Tests.Model;

/// <summary>The schema model's checks (clashes, bases, unions, alternates, commands, events,
/// redefinitions, docs), each with the exact error text.</summary>
public class ModelCheckTests
{
    internal static QapiSchema Load(string text, params (string Path, string Text)[] more)
    {
        InMemorySchemaFileSystem fs = new InMemorySchemaFileSystem().Add("t.json", text);
        foreach ((string? path, string? t) in more)
        {
            fs.Add(path, t);
        }

        return QapiSchema.Load("t.json", fs);
    }

    internal static string Error(string text, params (string Path, string Text)[] more)
        => Assert.ThrowsAny<QapiError>(() => Load(text, more)).ToString();

    [Fact]
    public void MembersClashByTheirCName()
    {
        Assert.Equal("t.json: In struct 'Pair':\nt.json:2: member 'left_x' collides with member 'left-x'",
            Error("{ 'pragma': { 'member-name-exceptions': [ 'Pair' ] } }\n{ 'struct': 'Pair', 'data': { 'left-x': 'int', 'left_x': 'str' } }"));
    }

    [Fact]
    public void MemberClashingWithBaseNamesTheBase()
    {
        Assert.Equal("t.json: In struct 'Child':\nt.json:3: member 'id' collides with member 'id' of type 'Parent'",
            Error("{ 'struct': 'Parent', 'data': { 'id': 'int' } }\n\n{ 'struct': 'Child', 'base': 'Parent', 'data': { 'id': 'str' } }"));
    }

    [Fact]
    public void EnumValuesClash()
    {
        Assert.Equal("t.json: In enum 'Mode':\nt.json:2: value 'fast_mode' collides with value 'fast-mode'",
            Error("{ 'pragma': { 'member-name-exceptions': [ 'Mode' ] } }\n{ 'enum': 'Mode', 'data': [ 'fast-mode', 'fast_mode' ] }"));
    }

    [Fact]
    public void DuplicateFeaturesClash()
    {
        Assert.Equal("t.json: In command 'ping':\nt.json:1: feature 'fresh' collides with feature 'fresh'",
            Error("{ 'command': 'ping', 'features': [ 'fresh', 'fresh' ] }"));
    }

    [Fact]
    public void SpecialFeaturesAreNotForTypes()
    {
        Assert.Equal("t.json: In struct 'Old':\nt.json:1: feature 'deprecated' is not supported for types",
            Error("{ 'struct': 'Old', 'data': {}, 'features': [ 'deprecated' ] }"));
        QapiSchema schema = Load("{ 'struct': 'New', 'data': { 'a': { 'type': 'int', 'features': [ 'unstable' ] } } }\n" +
                          "{ 'command': 'go', 'features': [ 'deprecated' ] }");
        QapiSchemaCommand go = schema.LookupEntity<QapiSchemaCommand>("go")!;
        Assert.True(go.IsDeprecated);
        Assert.True(go.Features.Single().IsSpecial);
        Assert.True(schema.LookupEntity<QapiSchemaObjectType>("New")!.Members[0].Features[0].IsUnstable);
    }

    [Fact]
    public void BaseMustBeAStruct()
    {
        Assert.Equal("t.json: In struct 'Sub':\nt.json:1: 'base' requires a struct type, built-in type 'str' isn't",
            Error("{ 'struct': 'Sub', 'base': 'str', 'data': {} }"));
        Assert.Equal("t.json: In struct 'Sub':\nt.json:1: 'base' uses unknown type 'Nowhere'",
            Error("{ 'struct': 'Sub', 'base': 'Nowhere', 'data': {} }"));
    }

    [Fact]
    public void BaseCycleIsReported()
    {
        Assert.Equal("t.json: In struct 'Egg':\nt.json:1: object Egg contains itself",
            Error("{ 'struct': 'Egg', 'base': 'Hen', 'data': {} }\n{ 'struct': 'Hen', 'base': 'Egg', 'data': {} }"));
    }

    [Fact]
    public void UnknownMemberTypeNamesTheMember()
    {
        Assert.Equal("t.json: In struct 'Box':\nt.json:1: member 'lid' uses unknown type 'Lid'",
            Error("{ 'struct': 'Box', 'data': { 'lid': 'Lid' } }"));
        Assert.Equal("t.json: In command 'open':\nt.json:1: parameter 'lid' uses unknown type 'Lid'",
            Error("{ 'command': 'open', 'data': { 'lid': 'Lid' } }"));
        Assert.Equal("t.json: In command 'open':\nt.json:1: command uses unknown type 'Lid'",
            Error("{ 'command': 'open', 'data': { 'lids': ['Lid'] } }"));
    }

    private const string Shapes =
        "{ 'enum': 'Kind', 'data': [ 'circle', 'square' ] }\n" +
        "{ 'struct': 'Circle', 'data': { 'radius': 'number' } }\n" +
        "{ 'struct': 'Square', 'data': { 'side': 'number' } }\n";

    [Fact]
    public void DiscriminatorMustBeABaseMember()
    {
        Assert.Equal("t.json: In union 'Shape':\nt.json:4: discriminator 'kind' is not a member of 'base'",
            Error(Shapes + "{ 'union': 'Shape', 'base': { 'type': 'Kind' }, 'discriminator': 'kind', 'data': { 'circle': 'Circle' } }"));
    }

    [Fact]
    public void DiscriminatorMustBeAMandatoryUnconditionalEnum()
    {
        Assert.Equal("t.json: In union 'Shape':\nt.json:4: discriminator member 'kind' of 'base' must be of enum type",
            Error(Shapes + "{ 'union': 'Shape', 'base': { 'kind': 'str' }, 'discriminator': 'kind', 'data': { 'circle': 'Circle' } }"));
        Assert.Equal("t.json: In union 'Shape':\nt.json:5: discriminator member 'kind' of base type 'Head' must not be optional",
            Error(Shapes + "{ 'struct': 'Head', 'data': { '*kind': 'Kind' } }\n" +
                  "{ 'union': 'Shape', 'base': 'Head', 'discriminator': 'kind', 'data': { 'circle': 'Circle' } }"));
        Assert.Equal("t.json: In union 'Shape':\nt.json:4: discriminator member 'kind' of 'base' must not be conditional",
            Error(Shapes + "{ 'union': 'Shape', 'base': { 'kind': { 'type': 'Kind', 'if': 'HAVE_KIND' } }, 'discriminator': 'kind', 'data': { 'circle': 'Circle' } }"));
    }

    [Fact]
    public void BranchesMustBeTagValuesAndObjects()
    {
        Assert.Equal("t.json: In union 'Shape':\nt.json:4: branch 'oval' is not a value of enum type 'Kind'",
            Error(Shapes + "{ 'union': 'Shape', 'base': { 'kind': 'Kind' }, 'discriminator': 'kind', 'data': { 'oval': 'Circle' } }"));
        Assert.Equal("t.json: In union 'Shape':\nt.json:4: branch 'circle' cannot use built-in type 'number'",
            Error(Shapes + "{ 'union': 'Shape', 'base': { 'kind': 'Kind' }, 'discriminator': 'kind', 'data': { 'circle': 'number' } }"));
        Assert.Equal("t.json: In union 'Nothing':\nt.json:2: union has no branches",
            Error("{ 'enum': 'None', 'data': [] }\n{ 'union': 'Nothing', 'base': { 'kind': 'None' }, 'discriminator': 'kind', 'data': {} }"));
    }

    [Fact]
    public void BranchMembersMustNotClashWithBaseMembers()
    {
        Assert.Equal("t.json: In union 'Shape':\nt.json:5: member 'kind' of type 'Tagged' collides with base member 'kind'",
            Error(Shapes + "{ 'struct': 'Tagged', 'data': { 'kind': 'str' } }\n" +
                  "{ 'union': 'Shape', 'base': { 'kind': 'Kind' }, 'discriminator': 'kind', 'data': { 'circle': 'Tagged' } }"));
    }

    [Fact]
    public void UnionGetsEmptyBranchesForUncoveredValues()
    {
        QapiSchema schema = Load(Shapes + "{ 'union': 'Shape', 'base': { 'kind': 'Kind', '*name': 'str' }, 'discriminator': 'kind', 'data': { 'circle': 'Circle' } }");
        QapiSchemaObjectType shape = schema.LookupEntity<QapiSchemaObjectType>("Shape")!;
        Assert.True(shape.IsUnion);
        Assert.Equal("union", shape.Meta);
        Assert.Equal("q_obj_Shape-base", shape.Base!.Name);
        Assert.True(shape.Base.IsImplicit);
        Assert.Empty(shape.LocalMembers);
        Assert.Equal(new[] { "kind", "name" }, shape.Members.Select(m => m.Name));
        Assert.True(shape.Members[1].Optional);
        Assert.Equal("kind", shape.Variants!.TagMember.Name);
        Assert.Equal(new[] { ("circle", "Circle"), ("square", "q_empty") },
            shape.Variants.Variants.Select(v => (v.Name, v.Type.Name)));
        Assert.Same(schema.TheEmptyObjectType, shape.Variants.Variants[1].Type);
    }

    [Fact]
    public void AlternateBranchesMustBeDistinguishable()
    {
        Assert.Equal("t.json: In alternate 'Value':\nt.json:1: branch 'text' can't be distinguished from 'count'",
            Error("{ 'alternate': 'Value', 'data': { 'count': 'int', 'text': 'str' } }"));
        Assert.Equal("t.json: In alternate 'Value':\nt.json:2: branch 'flag' can't be distinguished from 'sw'",
            Error("{ 'enum': 'Switch', 'data': [ 'on', 'off' ] }\n{ 'alternate': 'Value', 'data': { 'sw': 'Switch', 'flag': 'bool' } }"));
        Assert.Equal("t.json: In alternate 'Value':\nt.json:1: branch 'any' cannot use built-in type 'any'",
            Error("{ 'alternate': 'Value', 'data': { 'any': 'any' } }"));
        Assert.Equal("t.json: In alternate 'Value':\nt.json:1: branch 'b' can't be distinguished from 'a'",
            Error("{ 'alternate': 'Value', 'data': { 'a': ['int'], 'b': ['str'] } }"));
    }

    [Fact]
    public void AlternateModel()
    {
        QapiSchema schema = Load("{ 'enum': 'Level', 'data': [ 'low', 'high' ] }\n" +
                          "{ 'alternate': 'Setting', 'data': { 'level': 'Level', 'value': 'int', 'off': 'null' } }");
        QapiSchemaAlternateType alt = schema.LookupEntity<QapiSchemaAlternateType>("Setting")!;
        Assert.Equal("type", alt.Variants.TagMember.Name);
        Assert.Equal("QType", alt.Variants.TagMember.Type.Name);
        Assert.Equal(new[] { "QTYPE_QSTRING", "QTYPE_QNUM", "QTYPE_QNULL" },
            alt.Variants.Variants.Select(v => v.Type.AlternateQType));
        Assert.Equal("value", alt.JsonType);
    }

    [Fact]
    public void CommandRules()
    {
        Assert.Equal("t.json: In command 'go':\nt.json:2: command's 'data' cannot take enum type 'Dir'",
            Error("{ 'enum': 'Dir', 'data': [ 'up' ] }\n{ 'command': 'go', 'data': 'Dir' }"));
        Assert.Equal("t.json: In command 'go':\nt.json:1: command's 'returns' cannot take built-in type 'int'",
            Error("{ 'command': 'go', 'returns': 'int' }"));
        Assert.Equal("t.json: In command 'go':\nt.json:1: command's 'returns' cannot take array type ['str']",
            Error("{ 'command': 'go', 'returns': ['str'] }"));
        Assert.Equal("t.json: In command 'go':\nt.json:1: conditional command arguments require 'boxed': true",
            Error("{ 'command': 'go', 'data': { 'a': { 'type': 'int', 'if': 'FAST' } } }"));
    }

    [Fact]
    public void ReturnsExceptionsPragmaAllowsNonObjects()
    {
        QapiSchema schema = Load("{ 'pragma': { 'command-returns-exceptions': [ 'count' ] } }\n{ 'command': 'count', 'returns': 'int' }");
        Assert.Equal("int", schema.LookupEntity<QapiSchemaCommand>("count")!.RetType!.Name);
    }

    [Fact]
    public void EventRules()
    {
        Assert.Equal("t.json: In event 'TICK':\nt.json:1: event's 'data' cannot take built-in type 'str'",
            Error("{ 'event': 'TICK', 'data': 'str', 'boxed': true }"));
        Assert.Equal("t.json: In event 'TICK':\nt.json:1: conditional event arguments require 'boxed': true",
            Error("{ 'event': 'TICK', 'data': { 'a': { 'type': 'int', 'if': 'FAST' } } }"));
        Assert.Equal("t.json: In event 'TICK':\nt.json:3: event's 'data' can take union type 'Uni' only with 'boxed': true",
            Error("{ 'enum': 'Which', 'data': [ 'a' ] }\n{ 'union': 'Uni', 'base': { 'e': 'Which' }, 'discriminator': 'e', 'data': {} }\n" +
                  "{ 'event': 'TICK', 'data': 'Uni' }"));
    }

    [Fact]
    public void RedefinitionsPointAtThePreviousDefinition()
    {
        Assert.Equal("t.json: In struct 'Thing':\nt.json:2: 'Thing' is already defined\nt.json: In enum 'Thing':\nt.json:1: previous definition",
            Error("{ 'enum': 'Thing', 'data': [] }\n{ 'struct': 'Thing', 'data': {} }"));
        Assert.Equal("t.json: In struct 'QType':\nt.json:1: enum type 'QType' is already defined",
            Error("{ 'struct': 'QType', 'data': {} }"));
    }

    [Fact]
    public void DocsMustDescribeRealMembersAndAllFeatures()
    {
        Assert.Equal("t.json:1: documented member 'ghost' does not exist",
            Error("##\n# @Pair:\n# @ghost: boo\n##\n{ 'struct': 'Pair', 'data': { 'a': 'int' } }"));
        Assert.Equal("t.json: In struct 'Pair':\nt.json:5: feature 'shiny' lacks documentation",
            Error("##\n# @Pair:\n# @a: an int\n##\n{ 'struct': 'Pair', 'data': { 'a': 'int' }, 'features': [ 'shiny' ] }"));
    }

    [Fact]
    public void UndocumentedMembersGetEmptyDescriptions()
    {
        QapiSchema schema = Load("##\n# @greet:\n#\n# Says hello.\n#\n# @name: whom\n##\n{ 'command': 'greet', 'data': { 'name': 'str', '*loud': 'bool' } }");
        QapiDoc doc = schema.Docs.Single();
        Assert.Equal(new[] { ("name", "whom"), ("loud", "") }, doc.Args.Select(a => (a.Name, a.Text)));
    }

    [Fact]
    public void MissingMainFileIsReported()
    {
        QapiError e = Assert.ThrowsAny<QapiError>(() => QapiSchema.Load("nope.json", new InMemorySchemaFileSystem()));
        Assert.Equal("can't read schema file 'nope.json': No such file or directory", e.ToString());
    }
}
