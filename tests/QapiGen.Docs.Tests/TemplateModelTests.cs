using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using QapiGen.Docs.Model;
using Xunit;

namespace QapiGen.Docs.Tests;

/// <summary>
/// The template model is stable: a template that touches every field (checked by reflection over
/// the model classes) renders the values the sample schema defines.
/// </summary>
public sealed class TemplateModelTests
{
    private static string EveryFieldTemplate => Path.Combine(AppContext.BaseDirectory, "Samples", "every-field.txt.scriban");

    private static async Task<string> RenderEveryField(params string[] defines)
    {
        SchemaModel model = TestSchemas.Model(TestSchemas.Sample, defines);
        string dir = TestSchemas.TempDirectory("qapigen-render-");
        try
        {
            RenderResult result = await UserTemplateRenderer.RenderAsync(model, new[] { EveryFieldTemplate }, dir, CancellationToken.None);
            Assert.Equal(new[] { "every-field.txt" }, result.Files);
            return File.ReadAllText(Path.Combine(dir, "every-field.txt"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void TheTemplateTouchesEveryPropertyOfTheModel()
    {
        string text = File.ReadAllText(EveryFieldTemplate);
        IEnumerable<Type> types = typeof(SchemaModel).Assembly.GetTypes().Where(t => t.Namespace == typeof(SchemaModel).Namespace && t.IsPublic);
        var missing = new List<string>();
        foreach (Type? t in types)
        {
            foreach (PropertyInfo p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                string snake = Regex.Replace(p.Name, "(?<=[a-z0-9])([A-Z])", "_$1").ToLowerInvariant();
                if (!Regex.IsMatch(text, @"\." + snake + @"\b"))
                {
                    missing.Add(t.Name + "." + p.Name + " (" + snake + ")");
                }
            }
        }
        Assert.True(types.Count() >= 10, "model classes not found");
        Assert.Empty(missing);
    }

    [Fact]
    public async Task EveryFieldRendersTheSampleSchemasValues()
    {
        string text = await RenderEveryField();
        var lines = text.Split('\n').Select(l => l.TrimEnd()).ToList();
        void Has(string line) => Assert.True(lines.Contains(line), $"missing line:\n{line}\nin:\n{text}");

        Has("schema file=sample.json title=sample.json reference defines= counts=23/2/1/20 format=html ext=.html");
        Has("module sample.json page=sample title=Sample service main=true builtin=false freeform=1 includes=sample-types.json entities=3 commands=2 events=1 types=0");
        Has("module sample-types.json page=sample-types title=Sample types main=false builtin=false freeform=1 includes= entities=5 commands=0 events=0 types=5");
        Has("module builtin page=builtin title=Built-in types main=false builtin=true freeform=0 includes= entities=15 commands=0 events=0 types=15");
        Has("builtin int json_type=int source= doc=");
        Has("entity do-thing kind=command module=sample.json page=sample anchor=do-thing cond=false||||true features=[unstable false true true false||||true experimental] deprecated=false unstable=true source=sample.json:37");
        Has("  base=- arguments=- returns=Result|Result|false||false|object|Result boxed=false oob=true preconfig=true coroutine=false success=true prefix= json_type=");
        Has("  doc body=Does the thing to @target, then emits @THING_DONE. since=1.2 returns=the @Result errors= notes=Note:Only works on Tuesdays. examples=1 sections=Returns/false;Since/false;Note/false;Example/true; at=sample.json:11");
        Has("  member target type=Colour|Colour|false||false|string|Colour optional=false default= cond=false||||true features= deprecated=false unstable=false doc=what to act on, a @Colour name defined_in=do-thing inherited=false anchor=do-thing.target");
        Has("  member count type=int|int|false||true|int|int optional=true default=1 cond=false||||true features= deprecated=false unstable=false doc=how many times (default: 1) defined_in=do-thing inherited=false anchor=do-thing.count");
        Has("entity old-thing kind=command module=sample.json page=sample anchor=old-thing cond=true|CONFIG_OLD|defined(CONFIG_OLD)|CONFIG_OLD|true features=[deprecated true false true false||||true use @do-thing] deprecated=true unstable=false source=sample.json:54");
        Has("  base=- arguments=Result|Result|false||false|object|Result returns=- boxed=true oob=false preconfig=false coroutine=false success=true prefix= json_type=");
        Has("  member detail type=str|str|false||true|string|str optional=true default= cond=false||||true features=[deprecated true false true false||||true @detail is going away] deprecated=true unstable=false doc=more about it defined_in=Result inherited=true anchor=old-thing.detail");
        Has("  member result type=ResultList|[Result]|true|Result|false|array|Result optional=false default= cond=false||||true features= deprecated=false unstable=false doc=what came out defined_in=THING_DONE inherited=false anchor=THING_DONE.result");
        Has("entity Colour kind=enum module=sample-types.json page=sample-types anchor=Colour cond=false||||true features= deprecated=false unstable=false source=sample-types.json:16");
        Has("  base=- arguments=- returns=- boxed=false oob=false preconfig=false coroutine=false success=true prefix=COL json_type=");
        Has("  value blue type=- optional=false default= cond=true|CONFIG_BLUE|defined(CONFIG_BLUE)|CONFIG_BLUE|true features= deprecated=false unstable=false doc=cold defined_in=Colour inherited=false anchor=Colour.blue");
        Has("entity Shape kind=union module=sample-types.json page=sample-types anchor=Shape cond=false||||true features= deprecated=false unstable=false source=sample-types.json:60");
        Has("  member name type=str|str|false||true|string|str optional=true default=none cond=true|CONFIG_NAMES|defined(CONFIG_NAMES)|CONFIG_NAMES|true features= deprecated=false unstable=false doc=a label (default: none) defined_in=Shape inherited=false anchor=Shape.name");
        Has("  variants tag=kind");
        Has("  branch fast type=Result|Result|false||false|object|Result optional=false default= cond=false||||true features= deprecated=false unstable=false doc= defined_in=Shape inherited=false anchor=Shape.branch.fast");
        Has("  variants tag=");
        Has("  branch n type=int|int|false||true|int|int optional=false default= cond=false||||true features= deprecated=false unstable=false doc=a number defined_in=Either inherited=false anchor=Either.branch.n");
        Has("link=sample-types.html#Result missing=[] page=sample.html");
        Has("doc=<p>see <a class=\"ref\" href=\"sample-types.html#Colour\"><code>Colour</code></a></p>");
        Has("doc_html=<p>see <a class=\"ref\" href=\"sample.html#do-thing.target\"><code>target</code></a></p>");
        Has("doc_md=see `x` and [`Mode`](sample-types.md#Mode)");
        Has("example=<pre class=\"qmp\"><code><span class=\"dir\">-&gt;</span> { }</code></pre>");
    }

    [Fact]
    public async Task DefinesShowInTheModelAndDisableConditions()
    {
        string text = await RenderEveryField("CONFIG_OLD");
        Assert.Contains("defines=CONFIG_OLD counts=23/2/1/20", text);
        Assert.Contains("entity old-thing kind=command", text);
        Assert.DoesNotContain("value blue", text);
        Assert.DoesNotContain("member name type=str", text);
    }
}
