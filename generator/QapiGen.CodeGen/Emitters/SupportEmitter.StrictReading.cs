namespace QapiGen.CodeGen.Emitters;

// The support code of the strict readers (a server reading arguments, QEMU's checks and errors).
internal static partial class SupportEmitter
{
    /// <summary>QEMU's errors for unexpected members and enum values, a mandatory member's value, the generic enum reader.</summary>
    private const string StrictReading = """
    public sealed partial class QapiJsonException
    {
        internal static QapiJsonException Unexpected(in QapiPath parent, string name) => new("Parameter '" + parent.Member(name).Full + "' is unexpected");

        internal static QapiJsonException BadEnum(string name, string? value) => new("Parameter '" + name + "' does not accept value '" + value + "'");
    }

    internal sealed partial class QapiEnumNames<TEnum>
    {
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
    }

    public static partial class QapiJson
    {
        /// <summary>
        /// A mandatory member's value: the copy of the reader the scan left on it (whose token is never None), or
        /// QEMU's error for a missing member when the scan found none (a default reader).
        /// </summary>
        [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        internal static ref global::System.Text.Json.Utf8JsonReader NeedMember(ref global::System.Text.Json.Utf8JsonReader value, in QapiPath parent, string name)
        {
            if (value.TokenType == global::System.Text.Json.JsonTokenType.None)
                throw QapiJsonException.Missing(parent.Member(name).Full);
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

        /// <summary>Reads a value of an enum of the schema; a value it lacks is an error (QEMU's input check).</summary>
        public static TEnum ReadEnum<TEnum>(ref global::System.Text.Json.Utf8JsonReader reader, in QapiPath path) where TEnum : struct, global::System.Enum => QapiEnumNames<TEnum>.Of.Read(ref reader, path);
    }

    """;
}
