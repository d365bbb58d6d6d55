namespace QapiGen.CodeGen.Emitters;

// The support code of the readers of output (a client reading replies and events).
internal static partial class SupportEmitter
{
    /// <summary>Unknown members and enum values kept, a missing member named after the object, the generic enum reader of output.</summary>
    private const string OutputReading = """
    public sealed partial class QapiJsonException
    {
        internal static QapiJsonException TooManyUnknown(in QapiPath path, string? value) => new("Parameter '" + path.Full + "' has too many distinct unknown values to keep '" + value + "'", Clean(path.Full), false);
    }

    internal sealed partial class QapiEnumNames<TEnum>
    {
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

    public static partial class QapiJson
    {
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
        internal static QapiJsonException MissingMember(ulong seen, ulong need, QapiNames names, in QapiPath parent)
        {
            ulong missing = need & ~seen;
            int i = 0;
            while ((missing & 1) == 0)
            {
                missing >>= 1;
                i++;
            }
            return QapiJsonException.Missing(parent.Member(names.Wire[i]).Full);
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

        /// <summary>Reads a value of an enum of the schema from output: a value it lacks becomes an undefined value that keeps its wire string (<see cref="QapiUnknownValues{TEnum}"/>).</summary>
        public static TEnum ReadOutputEnum<TEnum>(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path) where TEnum : struct, global::System.Enum => QapiEnumNames<TEnum>.Of.ReadOutput(ref reader, path);
    }

    """;
}
