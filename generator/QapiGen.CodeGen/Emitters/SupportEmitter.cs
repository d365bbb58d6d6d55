namespace QapiGen.CodeGen.Emitters;

/// <summary>The per-namespace support code the other emitted files stand on: paths for error
/// messages, the input error, the null value and the JSON readers and writers of built-in types.</summary>
internal static class SupportEmitter
{
    public static void Emit(SchemaSpec spec, SourceWriter w) => w.Raw(Emitter.Header(spec.Namespace)).Raw(Body.Replace("\r\n", "\n"));

    private const string Body = """
    /// <summary>The JSON <c>null</c> value of the QAPI built-in type <c>null</c>.</summary>
    public readonly struct QapiNull : global::System.IEquatable<QapiNull>
    {
        /// <summary>The (only) null value.</summary>
        public static QapiNull Value => default;

        /// <inheritdoc/>
        public bool Equals(QapiNull other) => true;

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is QapiNull;

        /// <inheritdoc/>
        public override int GetHashCode() => 0;

        /// <inheritdoc/>
        public override string ToString() => "null";

        public static bool operator ==(QapiNull left, QapiNull right) => true;

        public static bool operator !=(QapiNull left, QapiNull right) => false;
    }

    /// <summary>
    /// The list a generated type holds for an array member (a property setter wraps whatever list it is
    /// given, without copying): equal to another list with equal elements in the same order, and
    /// printed as <c>[a, b]</c>, so the records that hold it have value equality and a readable
    /// <c>ToString</c>.
    /// </summary>
    internal sealed class QapiList<T> : global::System.Collections.Generic.IReadOnlyList<T>, global::System.IEquatable<QapiList<T>>
    {
        private readonly global::System.Collections.Generic.IReadOnlyList<T> _items;

        public QapiList(global::System.Collections.Generic.IReadOnlyList<T> items) { _items = items; }

        /// <summary>Wraps <paramref name="items"/> unless it is wrapped already.</summary>
        [return: global::System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(items))]
        public static global::System.Collections.Generic.IReadOnlyList<T>? Wrap(global::System.Collections.Generic.IReadOnlyList<T>? items)
            => items is null or QapiList<T> ? items : new QapiList<T>(items);

        public T this[int index] => _items[index];

        public int Count => _items.Count;

        public global::System.Collections.Generic.IEnumerator<T> GetEnumerator() => _items.GetEnumerator();

        global::System.Collections.IEnumerator global::System.Collections.IEnumerable.GetEnumerator() => _items.GetEnumerator();

        public bool Equals(QapiList<T>? other)
        {
            if (other is null || other.Count != Count)
                return false;
            for (var i = 0; i < Count; i++)
            {
                if (!QapiValue.Equal(_items[i], other._items[i]))
                    return false;
            }
            return true;
        }

        public override bool Equals(object? obj) => obj is QapiList<T> other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new global::System.HashCode();
            foreach (var item in _items)
                hash.Add(QapiValue.Hash(item));
            return hash.ToHashCode();
        }

        public override string ToString() => "[" + string.Join(", ", global::System.Linq.Enumerable.Select(_items, QapiValue.Print)) + "]";
    }

    /// <summary>
    /// The dictionary a generated type holds for <c>UnknownMembers</c> (the setter wraps the one it is
    /// given, without copying, so filling that one fills this): equal to another with the same names and
    /// JSON-equal values, printed as a JSON object.
    /// </summary>
    internal sealed class QapiMembers : global::System.Collections.Generic.IDictionary<string, global::System.Text.Json.JsonElement>, global::System.IEquatable<QapiMembers>
    {
        private readonly global::System.Collections.Generic.IDictionary<string, global::System.Text.Json.JsonElement> _members;

        private QapiMembers(global::System.Collections.Generic.IDictionary<string, global::System.Text.Json.JsonElement> members) { _members = members; }

        /// <summary>Wraps <paramref name="members"/> unless it is wrapped already.</summary>
        public static global::System.Collections.Generic.IDictionary<string, global::System.Text.Json.JsonElement>? Wrap(global::System.Collections.Generic.IDictionary<string, global::System.Text.Json.JsonElement>? members)
            => members is null or QapiMembers ? members : new QapiMembers(members);

        public global::System.Text.Json.JsonElement this[string key] { get => _members[key]; set => _members[key] = value; }
        public global::System.Collections.Generic.ICollection<string> Keys => _members.Keys;
        public global::System.Collections.Generic.ICollection<global::System.Text.Json.JsonElement> Values => _members.Values;
        public int Count => _members.Count;
        public bool IsReadOnly => _members.IsReadOnly;
        public void Add(string key, global::System.Text.Json.JsonElement value) => _members.Add(key, value);
        public void Add(global::System.Collections.Generic.KeyValuePair<string, global::System.Text.Json.JsonElement> item) => _members.Add(item);
        public void Clear() => _members.Clear();
        public bool Contains(global::System.Collections.Generic.KeyValuePair<string, global::System.Text.Json.JsonElement> item) => _members.Contains(item);
        public bool ContainsKey(string key) => _members.ContainsKey(key);
        public void CopyTo(global::System.Collections.Generic.KeyValuePair<string, global::System.Text.Json.JsonElement>[] array, int arrayIndex) => _members.CopyTo(array, arrayIndex);
        public global::System.Collections.Generic.IEnumerator<global::System.Collections.Generic.KeyValuePair<string, global::System.Text.Json.JsonElement>> GetEnumerator() => _members.GetEnumerator();
        global::System.Collections.IEnumerator global::System.Collections.IEnumerable.GetEnumerator() => _members.GetEnumerator();
        public bool Remove(string key) => _members.Remove(key);
        public bool Remove(global::System.Collections.Generic.KeyValuePair<string, global::System.Text.Json.JsonElement> item) => _members.Remove(item);
        public bool TryGetValue(string key, out global::System.Text.Json.JsonElement value) => _members.TryGetValue(key, out value);

        public bool Equals(QapiMembers? other)
        {
            if (other is null || other.Count != Count)
                return false;
            foreach (var member in _members)
            {
                if (!other._members.TryGetValue(member.Key, out var value) || !global::System.Text.Json.JsonElement.DeepEquals(member.Value, value))
                    return false;
            }
            return true;
        }

        public override bool Equals(object? obj) => obj is QapiMembers other && Equals(other);

        // Order-independent, as equality is.
        public override int GetHashCode()
        {
            var hash = 0;
            foreach (var member in _members)
                hash ^= global::System.StringComparer.Ordinal.GetHashCode(member.Key);
            return hash;
        }

        public override string ToString() => "{ " + string.Join(", ", global::System.Linq.Enumerable.Select(_members, m => m.Key + " = " + m.Value.GetRawText())) + " }";
    }

    /// <summary>
    /// The base of the generated records that keep the members a newer server added (structs, unions, events): it
    /// holds <see cref="UnknownMembers"/>, which takes part in equality, and prints records as C# does
    /// (<c>Widget { Name = w, Id = 1 }</c>) with <see cref="UnknownMembers"/> last and only when there are some.
    /// </summary>
    public abstract partial record class QapiRecord
    {
        /// <summary>
        /// Members the server sent that this schema does not define (a newer server may add output members):
        /// kept by the readers of replies and events, written back out after the known members. Null when there were none.
        /// </summary>
        public global::System.Collections.Generic.IDictionary<string, global::System.Text.Json.JsonElement>? UnknownMembers { get => __UnknownMembers; set => __UnknownMembers = QapiMembers.Wrap(value); }

        private global::System.Collections.Generic.IDictionary<string, global::System.Text.Json.JsonElement>? __UnknownMembers;

        /// <summary>The record's type name and members, as a record prints them; <see cref="UnknownMembers"/> only when set.</summary>
        public sealed override string ToString()
        {
            var builder = new global::System.Text.StringBuilder();
            builder.Append(GetType().Name).Append(" { ");
            var any = PrintMembers(builder);
            if (__UnknownMembers is { } unknown)
            {
                builder.Append(any ? ", " : "").Append("UnknownMembers = ").Append(unknown);
                any = true;
            }
            return builder.Append(any ? " }" : "}").ToString();
        }

        /// <summary>Prints no member: the derived records print theirs, <see cref="ToString"/> the unknown ones.</summary>
        protected virtual bool PrintMembers(global::System.Text.StringBuilder builder) => false;
    }

    /// <summary>Equality, hashing and printing of element values inside <see cref="QapiList{T}"/>.</summary>
    internal static class QapiValue
    {
        public static bool Equal<T>(T a, T b) => a is global::System.Text.Json.JsonElement x && b is global::System.Text.Json.JsonElement y
            ? global::System.Text.Json.JsonElement.DeepEquals(x, y)
            : global::System.Collections.Generic.EqualityComparer<T>.Default.Equals(a, b);

        public static int Hash<T>(T value) => value is global::System.Text.Json.JsonElement ? 0 : value is null ? 0 : global::System.Collections.Generic.EqualityComparer<T>.Default.GetHashCode(value);

        public static string Print<T>(T value) => value switch
        {
            null => "null",
            string s => "\"" + s + "\"",
            global::System.Text.Json.JsonElement e => e.GetRawText(),
            _ => value.ToString() ?? "",
        };
    }

    /// <summary>
    /// Input that does not match the schema. The message is QEMU's for the same input
    /// (class GenericError), e.g. <c>Parameter 'fdset-id' is missing</c>.
    /// </summary>
    public sealed class QapiJsonException : global::System.Exception
    {
        /// <summary>Creates the error with QEMU's description.</summary>
        public QapiJsonException(string message) : base(message) { }

        private QapiJsonException(string message, string? member, bool isMissing) : base(message)
        {
            Member = member;
            IsMissing = isMissing;
        }

        /// <summary>The QMP error class: always <c>GenericError</c>.</summary>
        public string ErrorClass => "GenericError";

        /// <summary>The full path of the offending value (<c>a.b[2].c</c>; list elements of the top level
        /// start with <c>[</c>), whatever short name QEMU's message uses; null when unknown.</summary>
        public string? Member { get; }

        /// <summary>Whether a mandatory member was absent (rather than a value of the wrong type or range).</summary>
        public bool IsMissing { get; }

        private static string Clean(string full) => full.StartsWith("<anonymous>", global::System.StringComparison.Ordinal) ? full.Substring(11) : full;

        internal static QapiJsonException Missing(string fullName) => new("Parameter '" + fullName + "' is missing", Clean(fullName), true);

        internal static QapiJsonException Unexpected(string? prefix, string name) => new("Parameter '" + (prefix == null ? name : prefix + "." + name) + "' is unexpected");

        internal static QapiJsonException InvalidType(string name, string expected) => new("Invalid parameter type for '" + name + "', expected: " + expected, Clean(name), false);

        internal static QapiJsonException InvalidType(in QapiPath path, string name, string expected) => new("Invalid parameter type for '" + name + "', expected: " + expected, Clean(path.Full), false);

        internal static QapiJsonException InvalidValue(string name, string expected) => new("Parameter '" + name + "' expects " + expected, Clean(name), false);

        internal static QapiJsonException InvalidValue(in QapiPath path, string name, string expected) => new("Parameter '" + name + "' expects " + expected, Clean(path.Full), false);

        internal static QapiJsonException BadEnum(string name, string? value) => new("Parameter '" + name + "' does not accept value '" + value + "'");

        internal static QapiJsonException TooManyUnknown(in QapiPath path, string? value) => new("Parameter '" + path.Full + "' has too many distinct unknown values to keep '" + value + "'", Clean(path.Full), false);
    }

    /// <summary>
    /// The enum values a client met in replies and events that its schema does not know (a newer
    /// server may add values to output enums). Each distinct wire string becomes an undefined value
    /// of the C# enum, -1, -2, ... in order of first sight, for the life of the process, so it compares,
    /// hashes and switches like any enum value (a <c>default</c> arm catches it), and
    /// <c>QapiJson.ToWire</c> / <c>QapiJson.Write</c> give back the exact wire string. At most
    /// <see cref="Limit"/> distinct strings are kept per enum type, so a misbehaving server cannot
    /// grow the table without bound; beyond that a value cannot be represented.
    /// </summary>
    public static class QapiUnknownValues<TEnum> where TEnum : struct, global::System.Enum
    {
        /// <summary>The most distinct unknown strings kept per enum type.</summary>
        public const int Limit = 4096;

        private static readonly object Gate = new();
        private static readonly global::System.Collections.Generic.Dictionary<string, int> Ids = new(global::System.StringComparer.Ordinal);
        private static string[] _names = global::System.Array.Empty<string>();

        /// <summary>The enum value standing for <paramref name="wire"/>; false when the table is full.</summary>
        /// <exception cref="global::System.NotSupportedException">the enum's underlying type is not <c>int</c> (generated enums' is).</exception>
        public static bool TryIntern(string wire, out TEnum value)
        {
            if (global::System.Runtime.CompilerServices.Unsafe.SizeOf<TEnum>() != sizeof(int))
                throw new global::System.NotSupportedException("only enums of underlying type int");
            int id;
            lock (Gate)
            {
                if (!Ids.TryGetValue(wire, out id))
                {
                    var names = _names;
                    if (names.Length >= Limit)
                    {
                        value = default;
                        return false;
                    }
                    var grown = new string[names.Length + 1];
                    global::System.Array.Copy(names, grown, names.Length);
                    grown[names.Length] = wire;
                    id = -grown.Length;
                    Ids.Add(wire, id);
                    global::System.Threading.Volatile.Write(ref _names, grown);
                }
            }
            value = global::System.Runtime.CompilerServices.Unsafe.As<int, TEnum>(ref id);
            return true;
        }

        /// <summary>The wire string an unknown value stands for; null for any other value.</summary>
        public static string? WireOf(TEnum value)
        {
            if (global::System.Runtime.CompilerServices.Unsafe.SizeOf<TEnum>() != sizeof(int))
                return null;
            var id = global::System.Runtime.CompilerServices.Unsafe.As<TEnum, int>(ref value);
            var names = global::System.Threading.Volatile.Read(ref _names);
            return id < 0 && -id <= names.Length ? names[-id - 1] : null;
        }
    }

    /// <summary>
    /// Where a value sits in the input, for error messages: QEMU names members <c>a.b</c> and
    /// list elements <c>a[0]</c>; the top-level arguments object has no name.
    /// </summary>
    public readonly struct QapiPath
    {
        private readonly string? _prefix;
        private readonly string? _name;
        private readonly int _element; // list index + 1; 0: not a list element (so default is the root)

        /// <summary>A member <paramref name="name"/> of the object at <paramref name="prefix"/> (null: top level).</summary>
        public QapiPath(string? prefix, string name)
        {
            _prefix = prefix;
            _name = name;
            _element = 0;
        }

        private QapiPath(string prefix, int index)
        {
            _prefix = prefix;
            _name = null;
            _element = index + 1;
        }

        /// <summary>The top-level object (command arguments, event data).</summary>
        public static QapiPath Root => default;

        /// <summary>Element <paramref name="index"/> of the list at <paramref name="list"/>.</summary>
        public static QapiPath Element(string list, int index) => new(list, index);

        /// <summary>Whether this is the top-level object.</summary>
        public bool IsRoot => _name == null && _element == 0;

        /// <summary>The full name QEMU reports (<c>a.b[2].c</c>).</summary>
        public string Full
        {
            get
            {
                if (_element > 0)
                    return _prefix + "[" + (_element - 1).ToString(global::System.Globalization.CultureInfo.InvariantCulture) + "]";
                if (_name == null)
                    return "<anonymous>";
                return _prefix == null ? _name : _prefix + "." + _name;
            }
        }

        /// <summary>The short name QEMU reports for range and enum errors (<c>null</c> for list elements).</summary>
        public string Short => _name ?? "null";

        /// <summary>The prefix of the members of the object at this path.</summary>
        public string? MemberPrefix => IsRoot ? null : Full;
    }

    /// <summary>
    /// Marks what the baseline the client was generated with lacks (a command, event, member, argument or
    /// enum value): servers as old as the baseline do not have it.
    /// </summary>
    [global::System.AttributeUsage(global::System.AttributeTargets.All, AllowMultiple = false, Inherited = false)]
    public sealed class QapiNotInBaselineAttribute : global::System.Attribute
    {
        /// <summary>Marks for baseline <paramref name="baseline"/>.</summary>
        public QapiNotInBaselineAttribute(string baseline) { Baseline = baseline; }

        /// <summary>The baseline's name.</summary>
        public string Baseline { get; }
    }

    /// <summary>
    /// The wire names of an object's members or of an enum's values, in declaration order, held once for
    /// the generated readers and writers, which index them (a member's or value's index is its position;
    /// an enum value's number is its index). One table and a few shared loops stand in for the name
    /// comparisons and switches each type would otherwise repeat.
    /// </summary>
    internal class QapiNames
    {
        private protected readonly string? EnumName;
        internal readonly string[] Wire;
        private readonly byte[][] _utf8;
        private protected readonly global::System.Text.Json.JsonEncodedText[] Encoded;

        internal QapiNames(params string[] wire) : this(null, wire)
        {
        }

        private protected QapiNames(string? type, string[] wire)
        {
            EnumName = type;
            Wire = wire;
            _utf8 = new byte[wire.Length][];
            Encoded = new global::System.Text.Json.JsonEncodedText[wire.Length];
            for (int i = 0; i < wire.Length; i++)
            {
                _utf8[i] = global::System.Text.Encoding.UTF8.GetBytes(wire[i]);
                Encoded[i] = global::System.Text.Json.JsonEncodedText.Encode(_utf8[i]);
            }
        }

        /// <summary>Name <paramref name="index"/> pre-encoded: the writer skips its escaping check.</summary>
        internal global::System.Text.Json.JsonEncodedText this[int index]
        {
            [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            get => Encoded[index];
        }

        /// <summary>
        /// The index of the property name or string the reader is on, or -1. A value neither escaped nor split
        /// across buffers (what QEMU sends) is compared as bytes, the reader's checks made once, not once per name:
        /// every member of every object read goes through here.
        /// </summary>
        internal int Find(ref global::System.Text.Json.Utf8JsonReader reader)
        {
            var names = _utf8;
            if (!reader.HasValueSequence && !reader.ValueIsEscaped)
            {
                global::System.ReadOnlySpan<byte> value = reader.ValueSpan;
                for (int i = 0; i < names.Length; i++)
                {
                    if (global::System.MemoryExtensions.SequenceEqual(value, new global::System.ReadOnlySpan<byte>(names[i])))
                        return i;
                }
                return -1;
            }
            for (int i = 0; i < names.Length; i++)
            {
                if (reader.ValueTextEquals(names[i]))
                    return i;
            }
            return -1;
        }
    }

    /// <summary>
    /// The wire strings of enum <typeparamref name="TEnum"/> (a value's number is its index) and the reading and
    /// writing of its values: one table per enum, declared by <c>QapiJson</c>, whose readers and writers call it directly.
    /// </summary>
    internal sealed class QapiEnumNames<TEnum> : QapiNames where TEnum : struct, global::System.Enum
    {
        /// <summary>
        /// The table of <typeparamref name="TEnum"/>, found once per enum type by <c>QapiJson.EnumNames</c> (a test of the
        /// type per enum of the schema, no reflection); null when it is not an enum of the schema.
        /// </summary>
        private static readonly QapiEnumNames<TEnum>? Found = QapiJson.EnumNames(typeof(TEnum)) as QapiEnumNames<TEnum>;

        internal QapiEnumNames(string type, params string[] wire) : base(type, wire)
        {
        }

        /// <summary>The table of <typeparamref name="TEnum"/>, for the generic helpers of <c>QapiJson</c>.</summary>
        internal static QapiEnumNames<TEnum> Of => Found ?? throw new global::System.ArgumentException(typeof(TEnum).Name + " is not an enum of the QAPI schema", nameof(TEnum));

        private static int Index(TEnum value) => global::System.Runtime.CompilerServices.Unsafe.As<TEnum, int>(ref value);

        private static TEnum Value(int index) => global::System.Runtime.CompilerServices.Unsafe.As<int, TEnum>(ref index);

        internal bool IsKnown(TEnum value) => (uint)Index(value) < (uint)Wire.Length;

        internal string ToWire(TEnum value)
        {
            int i = Index(value);
            return (uint)i < (uint)Wire.Length ? Wire[i] : QapiUnknownValues<TEnum>.WireOf(value) ?? throw new global::System.ArgumentOutOfRangeException(nameof(value), value, "not a value of " + EnumName);
        }

        internal bool TryParse(string wire, out TEnum value)
        {
            int i = global::System.Array.IndexOf(Wire, wire);
            value = i < 0 ? default : Value(i);
            return i >= 0;
        }

        internal void Write(global::System.Text.Json.Utf8JsonWriter writer, TEnum value)
        {
            int i = Index(value);
            if ((uint)i < (uint)Encoded.Length)
                writer.WriteStringValue(Encoded[i]);
            else
                writer.WriteStringValue(ToWire(value));
        }

        /// <summary>Reads a value; an unknown one is an error (QEMU's input check).</summary>
        internal TEnum Read(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
        {
            if (reader.TokenType != global::System.Text.Json.JsonTokenType.String)
                throw QapiJsonException.InvalidType(path.Full, "string");
            int i = Find(ref reader);
            if (i < 0)
                throw QapiJsonException.BadEnum(path.Short, reader.GetString());
            return Value(i);
        }

        /// <summary>Reads a value of output: one the schema lacks becomes an undefined value that keeps its wire string.</summary>
        internal TEnum ReadOutput(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
        {
            if (reader.TokenType != global::System.Text.Json.JsonTokenType.String)
                throw QapiJsonException.InvalidType(path.Full, "string");
            int i = Find(ref reader);
            if (i >= 0)
                return Value(i);
            var wire = reader.GetString()!;
            if (!QapiUnknownValues<TEnum>.TryIntern(wire, out var value))
                throw QapiJsonException.TooManyUnknown(path, wire);
            return value;
        }
    }

    /// <summary>Reads one value at the reader's current token.</summary>
    public delegate T QapiReadFunc<T>(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path);

    /// <summary>Reflection-free JSON reading and writing of the schema's types (QEMU's input checks and messages).</summary>
    public static partial class QapiJson
    {
        internal static void ExpectObject(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
        {
            if (reader.TokenType != global::System.Text.Json.JsonTokenType.StartObject)
                throw QapiJsonException.InvalidType(path.Full, "object");
        }

        /// <summary>Skips the property value after a name token (the reader ends on the value's last token).</summary>
        internal static void SkipValue(ref global::System.Text.Json.Utf8JsonReader reader)
        {
            reader.Read();
            reader.Skip();
        }

        /// <summary>
        /// A mandatory member's value: the copy of the reader the scan left on it (whose token is never None), or
        /// QEMU's error for a missing member when the scan found none (a default reader).
        /// </summary>
        [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        internal static ref global::System.Text.Json.Utf8JsonReader NeedMember(ref global::System.Text.Json.Utf8JsonReader value, string? prefix, string name)
        {
            if (value.TokenType == global::System.Text.Json.JsonTokenType.None)
                throw QapiJsonException.Missing(new QapiPath(prefix, name).Full);
            return ref value;
        }

        /// <summary>
        /// A member name the reader of an input object does not read: one of <paramref name="skip"/> (read
        /// elsewhere: a union's base while a branch is read) is skipped, the first other is remembered to
        /// be reported unexpected once the members are checked.
        /// </summary>
        internal static void OtherMember(ref global::System.Text.Json.Utf8JsonReader reader, ref string? unexpected, QapiNames? skip)
        {
            if (skip == null || skip.Find(ref reader) < 0)
                unexpected ??= reader.GetString();
            SkipValue(ref reader);
        }

        /// <summary>A member name the reader of output does not read: skipped when in <paramref name="skip"/>, else kept.</summary>
        internal static void OtherOutputMember(ref global::System.Text.Json.Utf8JsonReader reader, ref global::System.Collections.Generic.Dictionary<string, global::System.Text.Json.JsonElement>? unknown, QapiNames? skip)
        {
            if (skip != null && skip.Find(ref reader) >= 0)
                SkipValue(ref reader);
            else
                KeepUnknown(ref reader, ref unknown);
        }

        /// <summary>
        /// The rest of an object of output that has no members to read (a union branch without members of its own): names of
        /// <paramref name="skip"/> (read elsewhere) are skipped, the others kept, as <see cref="OtherOutputMember"/> does.
        /// </summary>
        internal static global::System.Collections.Generic.Dictionary<string, global::System.Text.Json.JsonElement>? OtherOutputMembers(ref global::System.Text.Json.Utf8JsonReader reader, QapiNames? skip)
        {
            global::System.Collections.Generic.Dictionary<string, global::System.Text.Json.JsonElement>? unknown = null;
            while (reader.Read() && reader.TokenType == global::System.Text.Json.JsonTokenType.PropertyName)
                OtherOutputMember(ref reader, ref unknown, skip);
            return unknown;
        }

        /// <summary>
        /// QEMU's error for a missing member, for the first member of <paramref name="names"/> (in their order) whose bit is in
        /// <paramref name="need"/> and not in <paramref name="seen"/>: a reader of output sets bit i when it reads member i,
        /// and calls this when a needed bit is unset.
        /// </summary>
        internal static QapiJsonException MissingMember(ulong seen, ulong need, QapiNames names, string? prefix)
        {
            ulong missing = need & ~seen;
            int i = 0;
            while ((missing & 1) == 0)
            {
                missing >>= 1;
                i++;
            }
            return QapiJsonException.Missing(new QapiPath(prefix, names.Wire[i]).Full);
        }

        /// <summary>Reads a <c>str</c>.</summary>
        public static string ReadString(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
        {
            if (reader.TokenType != global::System.Text.Json.JsonTokenType.String)
                throw QapiJsonException.InvalidType(path.Full, "string");
            return reader.GetString()!;
        }

        /// <summary>Reads a <c>bool</c>.</summary>
        public static bool ReadBool(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
        {
            return reader.TokenType switch
            {
                global::System.Text.Json.JsonTokenType.True => true,
                global::System.Text.Json.JsonTokenType.False => false,
                _ => throw QapiJsonException.InvalidType(path.Full, "boolean"),
            };
        }

        /// <summary>Reads a <c>null</c>.</summary>
        public static QapiNull ReadNull(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
        {
            if (reader.TokenType != global::System.Text.Json.JsonTokenType.Null)
                throw QapiJsonException.InvalidType(path.Full, "null");
            return default;
        }

        /// <summary>Reads an <c>any</c> (the value is copied, so it outlives the input).</summary>
        public static global::System.Text.Json.JsonElement ReadAny(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
            => global::System.Text.Json.JsonElement.ParseValue(ref reader);

        /// <summary>
        /// Reads a <c>number</c>: any JSON number a double can hold. One beyond its range (1e400)
        /// is refused: QEMU would take it as infinity and could then answer with "inf", which is
        /// not JSON.
        /// </summary>
        public static double ReadNumber(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
        {
            if (reader.TokenType != global::System.Text.Json.JsonTokenType.Number || !reader.TryGetDouble(out var value))
                throw QapiJsonException.InvalidType(path.Full, "number");
            if (!double.IsFinite(value))
                throw QapiJsonException.InvalidValue(path, path.Short, "a finite number");
            return value;
        }

        /// <summary>Reads an <c>int</c>: a JSON number without fraction or exponent in the int64 range.</summary>
        public static long ReadInt(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
        {
            if (reader.TokenType != global::System.Text.Json.JsonTokenType.Number || !reader.TryGetInt64(out var value))
                throw QapiJsonException.InvalidType(path.Full, "integer");
            return value;
        }

        /// <summary>Reads an <c>int64</c>.</summary>
        public static long ReadInt64(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path) => ReadInt(ref reader, path);

        /// <summary>Reads an <c>int32</c>.</summary>
        public static int ReadInt32(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
            => (int)ReadSigned(ref reader, path, int.MinValue, int.MaxValue, "int32_t");

        /// <summary>Reads an <c>int16</c>.</summary>
        public static short ReadInt16(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
            => (short)ReadSigned(ref reader, path, short.MinValue, short.MaxValue, "int16_t");

        /// <summary>Reads an <c>int8</c>.</summary>
        public static sbyte ReadInt8(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
            => (sbyte)ReadSigned(ref reader, path, sbyte.MinValue, sbyte.MaxValue, "int8_t");

        private static long ReadSigned(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path, long min, long max, string type)
        {
            var value = ReadInt(ref reader, path);
            if (value < min || value > max)
                throw QapiJsonException.InvalidValue(path, path.Short, type);
            return value;
        }

        /// <summary>
        /// Reads a <c>uint64</c>: 0..2^64-1; negative int64 values are accepted and wrap, as QEMU
        /// accepts them for backward compatibility.
        /// </summary>
        public static ulong ReadUInt64(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
        {
            if (reader.TokenType != global::System.Text.Json.JsonTokenType.Number)
                throw QapiJsonException.InvalidValue(path.Full, "uint64");
            if (reader.TryGetUInt64(out var value))
                return value;
            if (reader.TryGetInt64(out var signed))
                return unchecked((ulong)signed);
            throw QapiJsonException.InvalidValue(path.Full, "uint64");
        }

        /// <summary>Reads a <c>size</c> (like <c>uint64</c> on the wire).</summary>
        public static ulong ReadSize(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path) => ReadUInt64(ref reader, path);

        /// <summary>Reads a <c>uint32</c>.</summary>
        public static uint ReadUInt32(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
            => (uint)ReadUnsigned(ref reader, path, uint.MaxValue, "uint32_t");

        /// <summary>Reads a <c>uint16</c>.</summary>
        public static ushort ReadUInt16(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
            => (ushort)ReadUnsigned(ref reader, path, ushort.MaxValue, "uint16_t");

        /// <summary>Reads a <c>uint8</c>.</summary>
        public static byte ReadUInt8(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
            => (byte)ReadUnsigned(ref reader, path, byte.MaxValue, "uint8_t");

        private static ulong ReadUnsigned(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path, ulong max, string type)
        {
            var value = ReadUInt64(ref reader, path);
            if (value > max)
                throw QapiJsonException.InvalidValue(path, path.Short, type);
            return value;
        }

        /// <summary>Reads a JSON array with <paramref name="readElement"/>.</summary>
        public static global::System.Collections.Generic.IReadOnlyList<T> ReadList<T>(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path, QapiReadFunc<T> readElement)
        {
            if (reader.TokenType != global::System.Text.Json.JsonTokenType.StartArray)
                throw QapiJsonException.InvalidType(path.Full, "array");
            var full = path.Full;
            var list = new global::System.Collections.Generic.List<T>();
            while (reader.Read() && reader.TokenType != global::System.Text.Json.JsonTokenType.EndArray)
                list.Add(readElement(ref reader, QapiPath.Element(full, list.Count)));
            return new QapiList<T>(list);
        }

        /// <summary>
        /// Reads the members of an object a newer server may have extended: the rest of the object
        /// after a name token the schema does not know is kept, value by value (the reader ends on the
        /// value's last token).
        /// </summary>
        internal static void KeepUnknown(ref global::System.Text.Json.Utf8JsonReader reader, ref global::System.Collections.Generic.Dictionary<string, global::System.Text.Json.JsonElement>? unknown)
        {
            var name = reader.GetString()!;
            reader.Read();
            (unknown ??= new global::System.Collections.Generic.Dictionary<string, global::System.Text.Json.JsonElement>(global::System.StringComparer.Ordinal))[name] = global::System.Text.Json.JsonElement.ParseValue(ref reader);
        }

        /// <summary>Writes the members kept by a reader of output that the schema does not know.</summary>
        internal static void WriteUnknownMembers(global::System.Text.Json.Utf8JsonWriter writer, global::System.Collections.Generic.IDictionary<string, global::System.Text.Json.JsonElement>? members)
        {
            if (members == null)
                return;
            foreach (var member in members)
            {
                writer.WritePropertyName(member.Key);
                member.Value.WriteTo(writer);
            }
        }

        /// <summary>Reads a whole JSON document holding one value with <paramref name="read"/>.</summary>
        public static T Deserialize<T>(global::System.ReadOnlySpan<byte> utf8Json, QapiReadFunc<T> read)
        {
            var reader = new global::System.Text.Json.Utf8JsonReader(utf8Json);
            reader.Read();
            var value = read(ref reader, QapiPath.Root);
            return value;
        }

        /// <summary>Serialises one value to UTF-8 JSON with <paramref name="write"/>.</summary>
        public static byte[] Serialize<T>(T value, global::System.Action<global::System.Text.Json.Utf8JsonWriter, T> write)
        {
            var buffer = new global::System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new global::System.Text.Json.Utf8JsonWriter(buffer))
                write(writer, value);
            return buffer.WrittenSpan.ToArray();
        }

        /// <summary>The wire string of a value of an enum of the schema (an unknown value read from output gives back its own).</summary>
        public static string ToWire<TEnum>(TEnum value) where TEnum : struct, global::System.Enum => QapiEnumNames<TEnum>.Of.ToWire(value);

        /// <summary>Whether <paramref name="value"/> is a value of the schema (false for a value a newer server sent that the schema lacks).</summary>
        public static bool IsKnown<TEnum>(TEnum value) where TEnum : struct, global::System.Enum => QapiEnumNames<TEnum>.Of.IsKnown(value);

        /// <summary>Parses the wire string of a value of an enum of the schema; false for a string the schema lacks.</summary>
        public static bool TryParse<TEnum>(string wire, out TEnum value) where TEnum : struct, global::System.Enum => QapiEnumNames<TEnum>.Of.TryParse(wire, out value);

        /// <summary>Writes a value of an enum of the schema as its wire string.</summary>
        public static void Write<TEnum>(global::System.Text.Json.Utf8JsonWriter writer, TEnum value) where TEnum : struct, global::System.Enum => QapiEnumNames<TEnum>.Of.Write(writer, value);

        /// <summary>Reads a value of an enum of the schema; a value it lacks is an error (QEMU's input check).</summary>
        public static TEnum ReadEnum<TEnum>(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path) where TEnum : struct, global::System.Enum => QapiEnumNames<TEnum>.Of.Read(ref reader, path);

        /// <summary>Reads a value of an enum of the schema from output: a value it lacks becomes an undefined value that keeps its wire string (<see cref="QapiUnknownValues{TEnum}"/>).</summary>
        public static TEnum ReadOutputEnum<TEnum>(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path) where TEnum : struct, global::System.Enum => QapiEnumNames<TEnum>.Of.ReadOutput(ref reader, path);

        /// <summary>Writes a <c>str</c>.</summary>
        public static void Write(global::System.Text.Json.Utf8JsonWriter writer, string value) => writer.WriteStringValue(value);

        /// <summary>Writes a <c>bool</c>.</summary>
        public static void Write(global::System.Text.Json.Utf8JsonWriter writer, bool value) => writer.WriteBooleanValue(value);

        /// <summary>Writes a <c>number</c>.</summary>
        public static void Write(global::System.Text.Json.Utf8JsonWriter writer, double value) => writer.WriteNumberValue(value);

        /// <summary>Writes an <c>int</c> / <c>int64</c>.</summary>
        public static void Write(global::System.Text.Json.Utf8JsonWriter writer, long value) => writer.WriteNumberValue(value);

        /// <summary>Writes an <c>int32</c>.</summary>
        public static void Write(global::System.Text.Json.Utf8JsonWriter writer, int value) => writer.WriteNumberValue(value);

        /// <summary>Writes an <c>int16</c>.</summary>
        public static void Write(global::System.Text.Json.Utf8JsonWriter writer, short value) => writer.WriteNumberValue(value);

        /// <summary>Writes an <c>int8</c>.</summary>
        public static void Write(global::System.Text.Json.Utf8JsonWriter writer, sbyte value) => writer.WriteNumberValue(value);

        /// <summary>Writes a <c>uint64</c> / <c>size</c>.</summary>
        public static void Write(global::System.Text.Json.Utf8JsonWriter writer, ulong value) => writer.WriteNumberValue(value);

        /// <summary>Writes a <c>uint32</c>.</summary>
        public static void Write(global::System.Text.Json.Utf8JsonWriter writer, uint value) => writer.WriteNumberValue(value);

        /// <summary>Writes a <c>uint16</c>.</summary>
        public static void Write(global::System.Text.Json.Utf8JsonWriter writer, ushort value) => writer.WriteNumberValue(value);

        /// <summary>Writes a <c>uint8</c>.</summary>
        public static void Write(global::System.Text.Json.Utf8JsonWriter writer, byte value) => writer.WriteNumberValue(value);

        /// <summary>Writes <c>null</c>.</summary>
        public static void Write(global::System.Text.Json.Utf8JsonWriter writer, QapiNull value) => writer.WriteNullValue();

        /// <summary>Writes an <c>any</c>.</summary>
        public static void Write(global::System.Text.Json.Utf8JsonWriter writer, global::System.Text.Json.JsonElement value) => value.WriteTo(writer);
    }

    """;
}
