namespace QapiGen.CodeGen.Emitters;

// The support code of every scope: what the types file stands on (no JSON).
internal static partial class SupportEmitter
{
    /// <summary>The null value, the list and unknown-member wrappers, the records' base and the baseline attribute.</summary>
    private const string Records = """
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

    """;
}
