namespace QapiGen.CodeGen.Emitters;

// The support code of both sides' JSON: errors, paths, name tables, enums, lists, writers.
internal static partial class SupportEmitter
{
    /// <summary>The input error, the unknown enum values, paths, name and enum tables and <c>QapiJson</c>'s shared reading and writing.</summary>
    private const string JsonCore = """
    /// <summary>
    /// Input that does not match the schema. The message is QEMU's for the same input
    /// (class GenericError), e.g. <c>Parameter 'fdset-id' is missing</c>.
    /// </summary>
    public sealed partial class QapiJsonException : global::System.Exception
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

        internal static QapiJsonException InvalidType(string name, string expected) => new("Invalid parameter type for '" + name + "', expected: " + expected, Clean(name), false);

        internal static QapiJsonException InvalidType(in QapiPath path, string name, string expected) => new("Invalid parameter type for '" + name + "', expected: " + expected, Clean(path.Full), false);

        internal static QapiJsonException InvalidValue(string name, string expected) => new("Parameter '" + name + "' expects " + expected, Clean(name), false);

        internal static QapiJsonException InvalidValue(in QapiPath path, string name, string expected) => new("Parameter '" + name + "' expects " + expected, Clean(path.Full), false);

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
        // List index + 1 of an element of the list at _prefix (and, with _name, the element's member
        // _name); 0: not a list element (so default is the root).
        private readonly int _element;

        /// <summary>A member <paramref name="name"/> of the object at <paramref name="prefix"/> (null: top level).</summary>
        public QapiPath(string? prefix, string name)
        {
            _prefix = prefix;
            _name = name;
            _element = 0;
        }

        private QapiPath(string prefix, int index, string? name = null)
        {
            _prefix = prefix;
            _name = name;
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
                {
                    string element = _prefix + "[" + (_element - 1).ToString(global::System.Globalization.CultureInfo.InvariantCulture) + "]";
                    return _name == null ? element : element + "." + _name;
                }
                if (_name == null)
                    return "<anonymous>";
                return _prefix == null ? _name : _prefix + "." + _name;
            }
        }

        /// <summary>The short name QEMU reports for range and enum errors (<c>null</c> for list elements).</summary>
        public string Short => _name ?? "null";

        /// <summary>
        /// Member <paramref name="name"/> of the object at this path. A member of a list element keeps the
        /// element's list and index rather than their text: <c>list[i].name</c> is only built when an error
        /// reports it, not for every element read.
        /// </summary>
        public QapiPath Member(string name) =>
            IsRoot ? new QapiPath(null, name)
            : _element > 0 && _name == null ? new QapiPath(_prefix!, _element - 1, name)
            : new QapiPath(Full, name);

        /// <summary>
        /// This path as the parent of the members of the object at it, for a reader to take once per object: its
        /// text is built here (not at all for the top level, a top-level member or a list element), so that
        /// <see cref="Member"/> on the result builds none, however many members are read.
        /// </summary>
        public QapiPath AsParent() => _prefix == null || (_element > 0 && _name == null) ? this : new QapiPath(null, Full);
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
    internal sealed partial class QapiEnumNames<TEnum> : QapiNames where TEnum : struct, global::System.Enum
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
