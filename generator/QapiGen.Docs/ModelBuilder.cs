using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using QapiGen.Docs.Model;
using QapiGen.Schema.Diagnostics;
using QapiGen.Schema.Model;
using QapiGen.Schema.Parsing;

namespace QapiGen.Docs;

/// <summary>
/// Turns a checked schema into the plain template model. Built once per run; templates only read it.
/// With <c>-D</c> symbols, definitions, members, branches and features whose condition does not hold
/// are left out (as generated code leaves them out); without, everything is kept and conditions shown.
/// </summary>
public static class ModelBuilder
{
    // A default the description states: "(default: false)", "Default 64.", "default is 0".
    private static readonly Regex DefaultPattern = new(
        @"\(default:?\s*(?<v>[^)]+)\)|\b[Dd]efault(?:s to| is|:)?\s+(?<v>'[^']*'|""[^""]*""|[\w.-]+)",
        RegexOptions.CultureInvariant);

    public static SchemaModel Build(QapiSchema schema, IReadOnlyCollection<string>? defines = null)
    {
        IReadOnlyCollection<string> defs = defines ?? Array.Empty<string>();
        var ctx = new BuildContext(schema, defs);
        return ctx.Build();
    }

    private sealed class BuildContext
    {
        private readonly QapiSchema _schema;
        private readonly IReadOnlyCollection<string> _defines;
        private readonly HashSet<string> _defined;
        private readonly Dictionary<string, string> _pageOfModule = new(StringComparer.Ordinal);
        private readonly HashSet<string> _documented = new(StringComparer.Ordinal);

        public BuildContext(QapiSchema schema, IReadOnlyCollection<string> defines)
        {
            _schema = schema;
            _defines = defines;
            _defined = new HashSet<string>(defines, StringComparer.Ordinal);
        }

        private bool Filtering => _defines.Count > 0;

        private bool Keep(QapiSchemaIfCond c) => !Filtering || c.Evaluate(_defined.Contains);

        public SchemaModel Build()
        {
            var modules = _schema.Modules.Where(m => m.IsUser).ToList();
            QapiSchemaModule? builtin = _schema.Modules.FirstOrDefault(m => m.IsBuiltin);
            var usedPages = new HashSet<string>(StringComparer.Ordinal) { "index", "search-index", "style", "search" };
            foreach (QapiSchemaModule? m in modules)
            {
                _pageOfModule[m.Name] = UniquePage(PageName(m.Name), usedPages);
            }

            if (builtin != null)
            {
                _pageOfModule[builtin.Name] = UniquePage("builtin", usedPages);
            }

            // Which names get an entry (and so can be linked to).
            foreach (QapiSchemaModule? m in modules.Concat(builtin != null ? new[] { builtin } : Array.Empty<QapiSchemaModule>()))
            {
                foreach (QapiSchemaEntity e in m.Entities)
                {
                    if (IsDocumented(e))
                    {
                        _documented.Add(e.Name!);
                    }
                }
            }

            var freeform = _schema.Docs.Where(d => d.Symbol == null)
                .GroupBy(d => SafeModuleName(d.Info.FileName))
                .ToDictionary(g => g.Key, g => g.Select(d => d.Body.Text).ToList(), StringComparer.Ordinal);

            var result = new SchemaModel
            {
                File = _schema.FileName,
                Defines = _defines.OrderBy(s => s, StringComparer.Ordinal).ToList(),
            };
            foreach (QapiSchemaModule? m in modules)
            {
                result.Modules.Add(BuildModule(m, freeform, m == modules[0]));
            }

            if (builtin != null)
            {
                result.Modules.Add(BuildModule(builtin, freeform, false));
            }

            foreach (ModuleModel m in result.Modules)
            {
                result.Entities.AddRange(m.Entities);
                result.Commands.AddRange(m.Commands);
                result.Events.AddRange(m.Events);
                result.Types.AddRange(m.Types);
            }
            return new SchemaModel
            {
                File = result.File,
                // The main module's heading is often a section title ("Introduction"), not the manual's.
                Title = Path.GetFileName(_schema.FileName) + " reference",
                Modules = result.Modules,
                Entities = result.Entities,
                Commands = result.Commands,
                Events = result.Events,
                Types = result.Types,
                Defines = result.Defines,
            };
        }

        private string SafeModuleName(string fileName)
        {
            try
            {
                return _schema.ModuleByFileName(fileName).Name;
            }
            catch (KeyNotFoundException)
            {
                return fileName;
            }
        }

        private static string UniquePage(string page, HashSet<string> used)
        {
            string candidate = page;
            for (int i = 2; !used.Add(candidate); i++)
            {
                candidate = page + "-" + i;
            }

            return candidate;
        }

        /// <summary><c>qapi/block-core.json</c> → <c>qapi-block-core</c>: file-system and URL safe.</summary>
        private static string PageName(string moduleName)
        {
            string name = moduleName.EndsWith(".json", StringComparison.Ordinal) ? moduleName.Substring(0, moduleName.Length - 5) : moduleName;
            var sb = new StringBuilder();
            foreach (char c in name)
            {
                sb.Append(char.IsLetterOrDigit(c) || c == '_' || c == '-' ? c : '-');
            }

            string page = sb.ToString().Trim('-');
            return page.Length == 0 ? "module" : page;
        }

        private bool IsDocumented(QapiSchemaEntity e) => e switch
        {
            QapiSchemaInclude => false,
            QapiSchemaArrayType => false,
            QapiSchemaObjectType o => !o.IsImplicit && Keep(o.IfCond),
            QapiSchemaEnumType en => !en.IsImplicit && Keep(en.IfCond),
            _ => e.Name != null && Keep(e.IfCond),
        };

        private ModuleModel BuildModule(QapiSchemaModule m, Dictionary<string, List<string>> freeform, bool isMain)
        {
            string page = _pageOfModule[m.Name];
            List<string> texts = freeform.TryGetValue(m.Name, out List<string>? f) ? f : new List<string>();
            var module = new ModuleModel
            {
                Name = m.IsBuiltin ? "builtin" : m.Name,
                Page = page,
                Title = m.IsBuiltin ? "Built-in types" : Heading(texts) ?? m.Name,
                IsMain = isMain,
                IsBuiltin = m.IsBuiltin,
                Freeform = texts,
                Includes = m.Entities.OfType<QapiSchemaInclude>().Select(i => i.SubModule.Name).ToList(),
            };
            foreach (QapiSchemaEntity e in m.Entities)
            {
                if (!IsDocumented(e))
                {
                    continue;
                }

                EntityModel entity = BuildEntity(e, module.Name, page);
                module.Entities.Add(entity);
                (entity.Kind switch { "command" => module.Commands, "event" => module.Events, _ => module.Types }).Add(entity);
            }
            return module;
        }

        /// <summary>The first rST-style heading (<c>= Title</c>) of the module's free-form docs.</summary>
        private static string? Heading(List<string> texts)
        {
            foreach (string t in texts)
            {
                foreach (string line in t.Split('\n'))
                {
                    if (line.StartsWith("=", StringComparison.Ordinal))
                    {
                        return line.TrimStart('=').Trim();
                    }
                }
            }
            return null;
        }

        private EntityModel BuildEntity(QapiSchemaEntity e, string module, string page)
        {
            string name = e.Name!;
            QapiDoc? doc = e.Doc;
            var members = new List<MemberModel>();
            TypeRefModel? baseRef = null, args = null, returns = null;
            VariantsModel? variants = null;
            string kind = e.Meta ?? "";
            bool boxed = false, oob = false, preconfig = false, coroutine = false, success = true;
            string prefix = "", jsonType = "";
            switch (e)
            {
                case QapiSchemaCommand c:
                    boxed = c.Boxed;
                    oob = c.AllowOob;
                    preconfig = c.AllowPreconfig;
                    coroutine = c.Coroutine;
                    success = c.SuccessResponse;
                    if (c.ArgType != null)
                    {
                        if (!c.ArgType.IsImplicit)
                        {
                            args = TypeRef(c.ArgType);
                        }

                        AddObjectMembers(members, c.ArgType, name, doc);
                    }
                    if (c.RetType != null)
                    {
                        returns = TypeRef(c.RetType);
                    }

                    break;
                case QapiSchemaEvent ev:
                    boxed = ev.Boxed;
                    if (ev.ArgType != null)
                    {
                        if (!ev.ArgType.IsImplicit)
                        {
                            args = TypeRef(ev.ArgType);
                        }

                        AddObjectMembers(members, ev.ArgType, name, doc);
                    }
                    break;
                case QapiSchemaObjectType o:
                    if (o.Base != null && !o.Base.IsImplicit)
                    {
                        baseRef = TypeRef(o.Base);
                    }

                    AddObjectMembers(members, o, name, doc);
                    if (o.Variants != null)
                    {
                        variants = BuildVariants(o.Variants, name, doc);
                    }

                    break;
                case QapiSchemaAlternateType a:
                    variants = BuildVariants(a.Variants, name, doc);
                    break;
                case QapiSchemaEnumType en:
                    prefix = en.Prefix ?? "";
                    foreach (QapiSchemaEnumMember v in en.Members)
                    {
                        if (!Keep(v.IfCond))
                        {
                            continue;
                        }

                        string text = ArgDoc(doc, v.Name);
                        List<FeatureModel> features = Features(v.Features, doc);
                        members.Add(new MemberModel
                        {
                            Name = v.Name,
                            Role = v.Role,
                            Condition = Condition(v.IfCond),
                            Features = features,
                            Deprecated = features.Any(x => x.Deprecated),
                            Unstable = features.Any(x => x.Unstable),
                            Doc = text,
                            Default = "",
                            DefinedIn = name,
                            Anchor = name + "." + v.Name,
                        });
                    }
                    break;
                case QapiSchemaBuiltinType b:
                    kind = "builtin";
                    jsonType = b.JsonType;
                    break;
            }
            List<FeatureModel> entityFeatures = Features(e.Features, doc);
            return new EntityModel
            {
                Name = name,
                Kind = kind,
                Module = module,
                Page = page,
                Anchor = name,
                Doc = doc != null ? Doc(doc) : null,
                Condition = Condition(e.IfCond),
                Features = entityFeatures,
                Deprecated = e.IsDeprecated,
                Unstable = e.IsUnstable,
                Source = e.Info != null ? Source(e.Info) : null,
                Members = members,
                Base = baseRef,
                Variants = variants,
                Arguments = args,
                Returns = returns,
                Boxed = boxed,
                AllowOob = oob,
                AllowPreconfig = preconfig,
                Coroutine = coroutine,
                SuccessResponse = success,
                Prefix = prefix,
                JsonType = jsonType,
            };
        }

        private void AddObjectMembers(List<MemberModel> into, QapiSchemaObjectType type, string owner, QapiDoc? ownerDoc)
        {
            foreach (QapiSchemaObjectTypeMember m in type.Members)
            {
                if (!Keep(m.IfCond))
                {
                    continue;
                }

                string definedIn = DefinerName(m.DefinedIn, owner);
                into.Add(Member(m, owner, definedIn, ownerDoc));
            }
        }

        /// <summary>The documented entity a member belongs to: implicit <c>q_obj_X-arg</c> / <c>-base</c> types belong to X.</summary>
        private static string DefinerName(string? definedIn, string owner)
        {
            if (definedIn == null)
            {
                return owner;
            }

            if (definedIn.StartsWith("q_obj_", StringComparison.Ordinal))
            {
                string n = definedIn.Substring(6);
                if (n.EndsWith("-arg", StringComparison.Ordinal) || n.EndsWith("-base", StringComparison.Ordinal))
                {
                    return n.Substring(0, n.LastIndexOf('-'));
                }
            }
            return definedIn;
        }

        private MemberModel Member(QapiSchemaObjectTypeMember m, string owner, string definedIn, QapiDoc? ownerDoc)
        {
            // Inherited members are described (with their features) in the doc of the type defining them.
            QapiDoc? definerDoc = definedIn != owner ? _schema.LookupEntity(definedIn)?.Doc : null;
            string text = ArgDoc(ownerDoc, m.Name);
            if (text.Length == 0 && definerDoc != null)
            {
                text = ArgDoc(definerDoc, m.Name);
            }

            List<FeatureModel> features = Features(m.Features, definerDoc ?? ownerDoc);
            return new MemberModel
            {
                Name = m.Name,
                Role = m.Role,
                Type = TypeRef(m.Type),
                Optional = m.Optional,
                Default = DefaultOf(text),
                Condition = Condition(m.IfCond),
                Features = features,
                Deprecated = features.Any(f => f.Deprecated),
                Unstable = features.Any(f => f.Unstable),
                Doc = text,
                DefinedIn = definedIn,
                Inherited = definedIn != owner,
                Anchor = owner + "." + m.Name,
            };
        }

        private VariantsModel BuildVariants(QapiSchemaVariants v, string owner, QapiDoc? doc)
        {
            var result = new VariantsModel { Tag = v.TagName ?? "" };
            foreach (QapiSchemaVariant b in v.Variants)
            {
                if (!Keep(b.IfCond))
                {
                    continue;
                }
                // A union's implicit empty branches (values of the tag without a branch) add nothing.
                if (b.Type is QapiSchemaObjectType o && o.IsImplicit && o.IsEmpty && v.TagName != null)
                {
                    continue;
                }

                string text = ArgDoc(doc, b.Name);
                result.Branches.Add(new MemberModel
                {
                    Name = b.Name,
                    Role = b.Role,
                    Type = TypeRef(b.Type),
                    Condition = Condition(b.IfCond),
                    Doc = text,
                    DefinedIn = owner,
                    Anchor = owner + ".branch." + b.Name,
                });
            }
            return result;
        }

        private TypeRefModel TypeRef(QapiSchemaType t)
        {
            if (t is QapiSchemaArrayType a)
            {
                TypeRefModel element = TypeRef(a.ElementType);
                return new TypeRefModel
                {
                    Name = a.Name,
                    Display = "[" + element.Display + "]",
                    IsArray = true,
                    Element = element,
                    JsonType = "array",
                    Target = element.Target,
                };
            }
            return new TypeRefModel
            {
                Name = t.Name,
                Display = t.Name,
                IsBuiltin = t is QapiSchemaBuiltinType,
                JsonType = t.JsonType,
                Target = _documented.Contains(t.Name) ? t.Name : null,
            };
        }

        private List<FeatureModel> Features(IReadOnlyList<QapiSchemaFeature> features, QapiDoc? doc)
        {
            var list = new List<FeatureModel>();
            foreach (QapiSchemaFeature f in features)
            {
                if (!Keep(f.IfCond))
                {
                    continue;
                }

                list.Add(new FeatureModel
                {
                    Name = f.Name,
                    Deprecated = f.IsDeprecated,
                    Unstable = f.IsUnstable,
                    Special = f.IsSpecial,
                    Condition = Condition(f.IfCond),
                    Doc = doc?.Features.FirstOrDefault(s => s.Name == f.Name)?.Text ?? "",
                });
            }
            return list;
        }

        private ConditionModel Condition(QapiSchemaIfCond c) => new()
        {
            Present = c.IsPresent,
            Text = c.DocGen(),
            C = c.CGen(),
            Symbols = c.Expr?.Symbols().ToList() ?? new List<string>(),
            Enabled = !Filtering || c.Evaluate(_defined.Contains),
        };

        private static string ArgDoc(QapiDoc? doc, string name)
            => doc?.Args.FirstOrDefault(a => a.Name == name)?.Text ?? "";

        private static string DefaultOf(string text)
        {
            Match m = DefaultPattern.Match(text);
            if (!m.Success)
            {
                return "";
            }
            // "(default: false, since 3.1)": the value ends at the first comma or semicolon.
            string v = m.Groups["v"].Value;
            int cut = v.IndexOfAny(new[] { ',', ';' });
            return (cut >= 0 ? v.Substring(0, cut) : v).Trim().TrimEnd('.');
        }

        private static SourceModel Source(QapiSourceInfo info) => new() { File = info.FileName, Line = info.Line ?? 0 };

        private static DocModel Doc(QapiDoc doc)
        {
            var sections = doc.Sections
                .Select(s => new DocSectionModel
                {
                    Tag = s.Name ?? "",
                    Text = s.Text,
                    IsExample = s.Name is "Example" or "Examples",
                })
                .ToList();
            string Tagged(string tag) => string.Join("\n\n", sections.Where(s => s.Tag == tag).Select(s => s.Text));
            return new DocModel
            {
                Body = doc.Body.Text,
                Sections = sections,
                Since = Tagged("Since"),
                Returns = Tagged("Returns"),
                Errors = Tagged("Errors"),
                Notes = sections.Where(s => s.Tag is "Note" or "Notes").ToList(),
                Examples = sections.Where(s => s.IsExample).ToList(),
                Source = Source(doc.Info),
            };
        }
    }
}
