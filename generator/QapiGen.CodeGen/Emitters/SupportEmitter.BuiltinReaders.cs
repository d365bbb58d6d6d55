namespace QapiGen.CodeGen.Emitters;

// The readers of the built-in types, each emitted where the scope reads its type.
internal static partial class SupportEmitter
{
    /// <summary>The reader of <c>Str</c>.</summary>
    private const string ReadStr = """
        /// <summary>Reads a <c>str</c>.</summary>
        public static string ReadString(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
        {
            if (reader.TokenType != global::System.Text.Json.JsonTokenType.String)
                throw QapiJsonException.InvalidType(path.Full, "string");
            return reader.GetString()!;
        }
    """;

    /// <summary>The reader of <c>Bool</c>.</summary>
    private const string ReadBool = """
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
    """;

    /// <summary>The reader of <c>Null</c>.</summary>
    private const string ReadNull = """
        /// <summary>Reads a <c>null</c>.</summary>
        public static QapiNull ReadNull(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
        {
            if (reader.TokenType != global::System.Text.Json.JsonTokenType.Null)
                throw QapiJsonException.InvalidType(path.Full, "null");
            return default;
        }
    """;

    /// <summary>The reader of <c>Any</c>.</summary>
    private const string ReadAny = """
        /// <summary>Reads an <c>any</c> (the value is copied, so it outlives the input).</summary>
        public static global::System.Text.Json.JsonElement ReadAny(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
            => global::System.Text.Json.JsonElement.ParseValue(ref reader);
    """;

    /// <summary>The reader of <c>Number</c>.</summary>
    private const string ReadNumber = """
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
    """;

    /// <summary>The reader of <c>Int</c>.</summary>
    private const string ReadInt = """
        /// <summary>Reads an <c>int</c>: a JSON number without fraction or exponent in the int64 range.</summary>
        public static long ReadInt(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
        {
            if (reader.TokenType != global::System.Text.Json.JsonTokenType.Number || !reader.TryGetInt64(out var value))
                throw QapiJsonException.InvalidType(path.Full, "integer");
            return value;
        }
    """;

    /// <summary>The reader of <c>Int64</c>.</summary>
    private const string ReadInt64 = """
        /// <summary>Reads an <c>int64</c>.</summary>
        public static long ReadInt64(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path) => ReadInt(ref reader, path);
    """;

    /// <summary>The reader of <c>Int32</c>.</summary>
    private const string ReadInt32 = """
        /// <summary>Reads an <c>int32</c>.</summary>
        public static int ReadInt32(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
            => (int)ReadSigned(ref reader, path, int.MinValue, int.MaxValue, "int32_t");
    """;

    /// <summary>The reader of <c>Int16</c>.</summary>
    private const string ReadInt16 = """
        /// <summary>Reads an <c>int16</c>.</summary>
        public static short ReadInt16(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
            => (short)ReadSigned(ref reader, path, short.MinValue, short.MaxValue, "int16_t");
    """;

    /// <summary>The reader of <c>Int8</c>.</summary>
    private const string ReadInt8 = """
        /// <summary>Reads an <c>int8</c>.</summary>
        public static sbyte ReadInt8(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
            => (sbyte)ReadSigned(ref reader, path, sbyte.MinValue, sbyte.MaxValue, "int8_t");
    """;

    /// <summary>The reader of <c>Signed</c>.</summary>
    private const string ReadSigned = """
        private static long ReadSigned(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path, long min, long max, string type)
        {
            var value = ReadInt(ref reader, path);
            if (value < min || value > max)
                throw QapiJsonException.InvalidValue(path, path.Short, type);
            return value;
        }
    """;

    /// <summary>The reader of <c>UInt64</c>.</summary>
    private const string ReadUInt64 = """
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
    """;

    /// <summary>The reader of <c>Size</c>.</summary>
    private const string ReadSize = """
        /// <summary>Reads a <c>size</c> (like <c>uint64</c> on the wire).</summary>
        public static ulong ReadSize(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path) => ReadUInt64(ref reader, path);
    """;

    /// <summary>The reader of <c>UInt32</c>.</summary>
    private const string ReadUInt32 = """
        /// <summary>Reads a <c>uint32</c>.</summary>
        public static uint ReadUInt32(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
            => (uint)ReadUnsigned(ref reader, path, uint.MaxValue, "uint32_t");
    """;

    /// <summary>The reader of <c>UInt16</c>.</summary>
    private const string ReadUInt16 = """
        /// <summary>Reads a <c>uint16</c>.</summary>
        public static ushort ReadUInt16(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
            => (ushort)ReadUnsigned(ref reader, path, ushort.MaxValue, "uint16_t");
    """;

    /// <summary>The reader of <c>UInt8</c>.</summary>
    private const string ReadUInt8 = """
        /// <summary>Reads a <c>uint8</c>.</summary>
        public static byte ReadUInt8(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path)
            => (byte)ReadUnsigned(ref reader, path, byte.MaxValue, "uint8_t");
    """;

    /// <summary>The reader of <c>Unsigned</c>.</summary>
    private const string ReadUnsigned = """
        private static ulong ReadUnsigned(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path, ulong max, string type)
        {
            var value = ReadUInt64(ref reader, path);
            if (value > max)
                throw QapiJsonException.InvalidValue(path, path.Short, type);
            return value;
        }
    """;
}
