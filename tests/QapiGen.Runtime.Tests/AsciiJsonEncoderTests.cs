using System;
using System.Text;
using QapiGen.Runtime.Framing;
using Xunit;

namespace QapiGen.Runtime.Tests;

public class AsciiJsonEncoderTests
{
    // The vectorised searches must find exactly what WillEncode, applied one character at a
    // time, would: the first control character, quote, backslash or non-ASCII character.
    [Fact]
    public unsafe void SearchesAgreeWithWillEncodeOnRandomText()
    {
        AsciiJsonEncoder encoder = AsciiJsonEncoder.Instance;
        Random random = new(1234);
        string alphabet = "abcXYZ019 -_.:{}[]'\"\\\t\n\u0001\u007f\u00e9\u20ac\U0001F600";
        for (int n = 0; n < 20_000; n++)
        {
            StringBuilder text = new();
            int length = random.Next(0, 40);
            for (int i = 0; i < length; i++)
            {
                // Mostly plain characters, as real replies are.
                text.Append(random.Next(4) == 0 ? alphabet[random.Next(alphabet.Length)] : (char)random.Next(0x20, 0x7F));
            }
            string s = text.ToString();
            int expected = -1;
            for (int i = 0; i < s.Length; i++)
            {
                if (encoder.WillEncode(s[i]))
                {
                    expected = i;
                    break;
                }
            }
            fixed (char* p = s)
            {
                Assert.Equal(expected, encoder.FindFirstCharacterToEncode(p, s.Length));
            }
            byte[] utf8 = Encoding.UTF8.GetBytes(s);
            int expectedUtf8 = expected < 0 ? -1 : Encoding.UTF8.GetByteCount(s.AsSpan(0, expected));
            Assert.Equal(expectedUtf8, encoder.FindFirstCharacterToEncodeUtf8(utf8));
        }
    }
}
