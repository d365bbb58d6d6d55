using System.Collections.Generic;
using System.Linq;
using QapiGen.Schema.Dump;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;
using Xunit;

namespace QapiGen.Schema.Tests.Model;

/// <summary>The resolved model: built-ins, implicit types, members, modules, conditions, visiting and the dump.</summary>
public class ModelApiTests
{
    private static QapiSchema Load(string text, params (string Path, string Text)[] more)
        => ModelCheckTests.Load(text, more);

    [Fact]
    public void PredefinedEntitiesComeFirst()
    {
        QapiSchema schema = Load("");
        var names = schema.Entities.Select(e => e.Name).ToList();
        Assert.Equal(new[] { "str", "strList", "number", "numberList" }, names.Take(4));
        Assert.Equal(new[] { "null", "nullList", "q_empty", "QType" }, names.Skip(names.Count - 4));
        Assert.Equal(32, names.Count);
        QapiSchemaEnumType qtype = schema.LookupEntity<QapiSchemaEnumType>("QType")!;
        Assert.True(qtype.IsImplicit);
        Assert.Equal("QTYPE", qtype.Prefix);
        Assert.Equal("char *", schema.LookupType("str")!.CType);
        Assert.Equal("const char *", schema.LookupType("str")!.CParamType);
        Assert.Equal("int", schema.LookupType("uint8")!.JsonType);
        Assert.True(schema.TheEmptyObjectType.IsEmpty);
        Assert.Equal(new[] { "./builtin", "t.json" }, schema.Modules.Select(m => m.Name));
    }

    [Fact]
    public void ImplicitTypesAndArraysAreDefinedBeforeTheirUser()
    {
        QapiSchema schema = Load("{ 'struct': 'Item', 'data': { 'id': 'int' } }\n" +
                          "{ 'command': 'list-items', 'data': { '*filter': 'str', 'ids': ['int'] }, 'returns': ['Item'] }\n" +
                          "{ 'event': 'ITEM_ADDED', 'data': { 'item': 'Item' } }\n" +
                          "{ 'command': 'noop', 'data': {} }");
        var user = schema.Entities.SkipWhile(e => e.Name != "Item").Select(e => e.Name).ToList();
        Assert.Equal(new[] { "Item", "q_obj_list-items-arg", "ItemList", "list-items", "q_obj_ITEM_ADDED-arg", "ITEM_ADDED", "noop" }, user);

        QapiSchemaCommand cmd = schema.LookupEntity<QapiSchemaCommand>("list-items")!;
        Assert.True(cmd.ArgType!.IsImplicit);
        Assert.Equal(new[] { ("filter", "str", true), ("ids", "intList", false) },
            cmd.ArgType.Members.Select(m => (m.Name, m.Type.Name, m.Optional)));
        QapiSchemaArrayType ret = Assert.IsType<QapiSchemaArrayType>(cmd.RetType);
        Assert.Same(schema.LookupType("Item"), ret.ElementType);
        Assert.Equal("array of Item", ret.DocType);
        Assert.True(cmd.Gen && cmd.SuccessResponse && !cmd.Boxed && !cmd.AllowOob);
        Assert.Null(schema.LookupEntity<QapiSchemaCommand>("noop")!.ArgType);
        Assert.Equal("command", schema.LookupEntity("noop")!.Meta);
        Assert.Null(schema.LookupType("noop"));
        Assert.Equal("ItemList *", ret.CType);
        Assert.True(ret.NeedHasIfOptional);
    }

    [Fact]
    public void StructMembersIncludeTheBaseChain()
    {
        QapiSchema schema = Load("{ 'struct': 'Alpha', 'data': { 'a': 'int' } }\n" +
                          "{ 'struct': 'Beta', 'base': 'Alpha', 'data': { 'b': 'int' } }\n" +
                          "{ 'struct': 'Gamma', 'base': 'Beta', 'data': { '*c': { 'type': 'str', 'if': 'WITH_C' }, '*d': 'int' } }");
        QapiSchemaObjectType c = schema.LookupEntity<QapiSchemaObjectType>("Gamma")!;
        Assert.Equal("Beta", c.Base!.Name);
        Assert.Equal(new[] { "c", "d" }, c.LocalMembers.Select(m => m.Name));
        Assert.Equal(new[] { "a", "b", "c", "d" }, c.Members.Select(m => m.Name));
        Assert.Equal(new[] { "Alpha", "Beta", "Gamma", "Gamma" }, c.Members.Select(m => m.DefinedIn));
        Assert.True(c.HasConditionalMembers);
        Assert.Equal("struct", c.Meta);
        Assert.Equal("Gamma *", c.CType);
        Assert.False(c.Members[2].NeedHas); // a pointer tells presence
        Assert.True(c.Members[3].NeedHas);
    }

    [Fact]
    public void ArrayConditionIsItsElementTypes()
    {
        QapiSchema schema = Load("{ 'struct': 'Gpu', 'data': {}, 'if': 'HAVE_GPU' }\n{ 'struct': 'Host', 'data': { 'gpus': ['Gpu'] }, 'if': 'HAVE_GPU' }");
        Assert.Equal("defined(HAVE_GPU)", schema.LookupType("GpuList")!.IfCond.CGen());
    }

    [Fact]
    public void ModulesAreNamedRelativeToTheMainFile()
    {
        InMemorySchemaFileSystem fs = new InMemorySchemaFileSystem()
            .Add("schema/main.json", "{ 'include': 'sub/a.json' }\n{ 'include': 'b.json' }\n{ 'struct': 'Main', 'data': { 'a': 'Alpha' } }")
            .Add("schema/sub/a.json", "{ 'include': '../b.json' }\n{ 'struct': 'Alpha', 'data': { 'b': ['Beta'] } }")
            .Add("schema/b.json", "{ 'enum': 'Beta', 'data': [ 'x' ] }");
        var schema = QapiSchema.Load("schema/main.json", fs);
        Assert.Equal(new[] { "./builtin", "main.json", "sub/a.json", "b.json" }, schema.Modules.Select(m => m.Name));
        QapiSchemaModule a = schema.Modules[2];
        Assert.Equal(new[] { null, "Alpha" }, a.Entities.Select(e => e.Name));
        QapiSchemaInclude include = Assert.IsType<QapiSchemaInclude>(a.Entities[0]);
        Assert.Equal("b.json", include.SubModule.Name);
        // An array lives in its element type's module.
        Assert.Equal(new[] { "Beta", "BetaList" }, schema.Modules[3].Entities.Select(e => e.Name));
        Assert.Equal("b.json", schema.LookupType("BetaList")!.Module.Name);
        Assert.True(schema.Modules[0].IsBuiltin && schema.Modules[0].IsSystem && schema.Modules[1].IsUser);
    }

    [Fact]
    public void VisitorSeesModulesThenEntitiesInOrder()
    {
        QapiSchema schema = Load("{ 'enum': 'Enu', 'data': [ 'a' ] }\n{ 'command': 'cmd', 'returns': 'Obj' }\n{ 'struct': 'Obj', 'data': { 'e': 'Enu' } }");
        var log = new Recorder();
        schema.Visit(log);
        var user = log.Calls.SkipWhile(c => c != "module t.json").TakeWhile(c => c != "end").ToList();
        Assert.Equal(new[] { "module t.json", "enum Enu", "command cmd", "object Obj", "flat Obj e" }, user);
        Assert.Equal("begin", log.Calls[0]);
        Assert.Equal("end", log.Calls[log.Calls.Count - 1]);
        Assert.Contains("builtin str string", log.Calls);
    }

    private sealed class Recorder : QapiSchemaVisitor
    {
        public List<string> Calls { get; } = new();
        public override void VisitBegin(QapiSchema schema) => Calls.Add("begin");
        public override void VisitEnd() => Calls.Add("end");
        public override void VisitModule(string name) => Calls.Add("module " + name);
        public override void VisitBuiltinType(string name, Diagnostics.QapiSourceInfo? info, string jsonType)
            => Calls.Add($"builtin {name} {jsonType}");
        public override void VisitEnumType(string name, Diagnostics.QapiSourceInfo? info, QapiSchemaIfCond ifcond,
            IReadOnlyList<QapiSchemaFeature> features, IReadOnlyList<QapiSchemaEnumMember> members, string? prefix)
        {
            if (info != null)
            {
                Calls.Add("enum " + name);
            }
        }
        public override void VisitObjectType(string name, Diagnostics.QapiSourceInfo? info, QapiSchemaIfCond ifcond,
            IReadOnlyList<QapiSchemaFeature> features, QapiSchemaObjectType? @base,
            IReadOnlyList<QapiSchemaObjectTypeMember> members, QapiSchemaVariants? variants)
        {
            if (info != null)
            {
                Calls.Add("object " + name);
            }
        }
        public override void VisitObjectTypeFlat(string name, Diagnostics.QapiSourceInfo? info, QapiSchemaIfCond ifcond,
            IReadOnlyList<QapiSchemaFeature> features, IReadOnlyList<QapiSchemaObjectTypeMember> members, QapiSchemaVariants? variants)
        {
            if (info != null)
            {
                Calls.Add($"flat {name} {string.Join(",", members.Select(m => m.Name))}");
            }
        }
        public override void VisitCommand(string name, Diagnostics.QapiSourceInfo? info, QapiSchemaIfCond ifcond,
            IReadOnlyList<QapiSchemaFeature> features, QapiSchemaObjectType? argType, QapiSchemaType? retType,
            bool gen, bool successResponse, bool boxed, bool allowOob, bool allowPreconfig, bool coroutine)
            => Calls.Add("command " + name);
    }

    [Fact]
    public void ConditionsRenderAndEvaluate()
    {
        QapiSchema schema = Load("{ 'struct': 'Obj', 'data': {}, 'if': { 'all': [ 'LINUX', { 'not': { 'any': [ 'ARM', 'S390' ] } } ] } }");
        QapiSchemaIfCond cond = schema.LookupType("Obj")!.IfCond;
        Assert.True(cond.IsPresent);
        Assert.Equal("defined(LINUX) && !(defined(ARM) || defined(S390))", cond.CGen());
        Assert.Equal("LINUX and not (ARM or S390)", cond.DocGen());
        Assert.Equal("{'all': ['LINUX', {'not': {'any': ['ARM', 'S390']}}]}", cond.ToString());
        Assert.Equal("#if defined(LINUX) && !(defined(ARM) || defined(S390))\n", cond.GenIf());
        Assert.True(cond.Evaluate(s => s == "LINUX"));
        Assert.False(cond.Evaluate(s => s is "LINUX" or "ARM"));
        Assert.False(cond.Evaluate(_ => false));
        Assert.Equal(new[] { "LINUX", "ARM", "S390" }, cond.Expr!.Symbols());
        Assert.True(QapiSchemaIfCond.None.Evaluate(_ => false));
        Assert.Equal("", QapiSchemaIfCond.None.CGen());
    }

    [Fact]
    public void DumpPrintsTheTestFormat()
    {
        QapiSchema schema = Load("##\n# @Color:\n#\n# A color.\n#\n# @red: warm\n#\n# Since: 1.0\n##\n" +
                          "{ 'enum': 'Color', 'data': [ 'red', { 'name': 'blue', 'if': 'COOL' } ], 'prefix': 'COL' }\n" +
                          "{ 'command': 'paint', 'data': { 'c': 'Color' }, 'allow-oob': true, 'features': [ { 'name': 'fast', 'if': { 'not': 'SLOW' } } ] }\n" +
                          "{ 'event': 'PAINTED', 'data': 'q_obj_paint-arg', 'boxed': true }");
        string dump = SchemaDumper.Dump(schema);
        string user = dump.Substring(dump.IndexOf("module t.json\n", System.StringComparison.Ordinal));
        Assert.Equal(
            "module t.json\n" +
            "enum Color\n    prefix COL\n    member red\n    member blue\n        if COOL\n" +
            "object q_obj_paint-arg\n    member c: Color optional=False\n" +
            "command paint q_obj_paint-arg -> None\n" +
            "    gen=True success_response=True boxed=False oob=True preconfig=False\n" +
            "    feature fast\n        if {'not': 'SLOW'}\n" +
            "event PAINTED q_obj_paint-arg\n    boxed=True\n" +
            "doc symbol=Color\n    body=\nA color.\n    arg=red\nwarm\n    arg=blue\n\n    section=Since\n1.0\n",
            user);
    }
}
