using System.Collections.Generic;
using System.Text;

namespace QapiGen.Schema.Naming;

/// <summary>
/// The naming helpers of the reference front end (QEMU's <c>scripts/qapi/common.py</c>): how QAPI names
/// map to C identifiers and enum constants. The model uses <see cref="CName"/> to detect clashes
/// (two names that map to the same identifier collide); emitters use the rest.
/// </summary>
public static class QapiNaming
{
    /// <summary>What follows a type to make it a pointer in generated C (<c>POINTER_SUFFIX</c>).</summary>
    public const string PointerSuffix = " *";

    private static readonly HashSet<string> ProtectedWords = new(System.StringComparer.Ordinal)
    {
        // ANSI X3J11/88-090, 3.1.1
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
        "extern", "float", "for", "goto", "if", "int", "long", "register", "return", "short", "signed",
        "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while",
        // ISO/IEC 9899:1999, 6.4.1
        "inline", "restrict", "_Bool", "_Complex", "_Imaginary",
        // ISO/IEC 9899:2011, 6.4.1
        "_Alignas", "_Alignof", "_Atomic", "_Generic", "_Noreturn", "_Static_assert", "_Thread_local",
        // GCC extensions, excluding _.*
        "asm", "typeof",
        // C++ ISO/IEC 14882:2003 2.11, with the alternative representations
        "bool", "catch", "class", "const_cast", "delete", "dynamic_cast", "explicit", "false", "friend",
        "mutable", "namespace", "new", "operator", "private", "protected", "public", "reinterpret_cast",
        "static_cast", "template", "this", "throw", "true", "try", "typeid", "typename", "using", "virtual",
        "wchar_t", "and", "and_eq", "bitand", "bitor", "compl", "not", "not_eq", "or", "or_eq", "xor", "xor_eq",
        // namespace pollution
        "unix", "errno", "mips", "sparc", "i386", "linux",
    };

    /// <summary>
    /// Maps <paramref name="name"/> to a valid C identifier: every character other than ASCII letters,
    /// digits and '_' becomes '_' (<c>'__a.b_c'</c> → <c>'__a_b_c'</c>, <c>'x-foo'</c> → <c>'x_foo'</c>).
    /// With <paramref name="protect"/>, C/C++ keywords, a few polluted names and names starting with a
    /// digit get a <c>q_</c> prefix (<c>'int'</c> → <c>'q_int'</c>).
    /// </summary>
    public static string CName(string name, bool protect = true)
    {
        // Most names need no change ('-' is the usual exception): then the name itself is the result.
        string result = name;
        for (int i = 0; i < name.Length; i++)
        {
            if (!IsAsciiLetterOrDigit(name[i]) && name[i] != '_')
            {
                char[] chars = name.ToCharArray();
                for (int j = i; j < chars.Length; j++)
                {
                    if (!IsAsciiLetterOrDigit(chars[j]) && chars[j] != '_')
                    {
                        chars[j] = '_';
                    }
                }
                result = new string(chars);
                break;
            }
        }
        if (protect && (ProtectedWords.Contains(result) || (result.Length > 0 && result[0] >= '0' && result[0] <= '9')))
        {
            return "q_" + result;
        }

        return result;
    }

    /// <summary>
    /// Converts CamelCase to UPPER_CASE as the reference does for enum constant prefixes
    /// (<c>'QType'</c> → <c>'QTYPE'</c>, <c>'BlockdevDriver'</c> → <c>'BLOCKDEV_DRIVER'</c>).
    /// </summary>
    public static string CamelToUpper(string value)
    {
        string cFunStr = CName(value, false);
        if (IsPythonUpper(value))
        {
            return cFunStr;
        }

        var newName = new StringBuilder();
        int length = cFunStr.Length;
        for (int i = 0; i < length; i++)
        {
            char c = cFunStr[i];
            // When c is upper case and no '_' appears before, do more checks
            if (IsAsciiUpper(c) && i > 0 && cFunStr[i - 1] != '_')
            {
                if (i < length - 1 && IsAsciiLower(cFunStr[i + 1]))
                {
                    newName.Append('_');
                }
                else if (cFunStr[i - 1] >= '0' && cFunStr[i - 1] <= '9')
                {
                    newName.Append('_');
                }
            }
            newName.Append(c);
        }
        return newName.ToString().TrimStart('_').ToUpperInvariant();
    }

    /// <summary>The C enum constant for value <paramref name="constName"/> of enum <paramref name="typeName"/> (or its 'prefix').</summary>
    public static string CEnumConst(string typeName, string constName, string? prefix = null)
    {
        if (prefix != null)
        {
            typeName = prefix;
        }

        return CamelToUpper(typeName) + "_" + CName(constName, false).ToUpperInvariant();
    }

    // Python's str.isupper(): at least one cased character and no lower-case ones.
    private static bool IsPythonUpper(string s)
    {
        bool cased = false;
        foreach (char c in s)
        {
            if (char.IsLower(c))
            {
                return false;
            }

            if (char.IsUpper(c))
            {
                cased = true;
            }
        }
        return cased;
    }

    private static bool IsAsciiUpper(char c) => c >= 'A' && c <= 'Z';
    private static bool IsAsciiLower(char c) => c >= 'a' && c <= 'z';
    private static bool IsAsciiLetterOrDigit(char c) => IsAsciiUpper(c) || IsAsciiLower(c) || (c >= '0' && c <= '9');
}
