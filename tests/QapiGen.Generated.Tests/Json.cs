using System;
using System.Text;
using System.Text.Json;
using QapiGen.Generated.Tests.Qapi;
using Xunit;

namespace QapiGen.Generated.Tests;

/// <summary>Helpers: exact UTF-8 JSON out, values in, QEMU's error text on bad input.</summary>
internal static class J
{
    public static string Out<T>(T value, Action<Utf8JsonWriter, T> write) => Encoding.UTF8.GetString(QapiJson.Serialize(value, write));

    public static T In<T>(string json, QapiReadFunc<T> read) => QapiJson.Deserialize(Encoding.UTF8.GetBytes(json), read);

    public static string Error<T>(string json, QapiReadFunc<T> read)
    {
        QapiJsonException e = Assert.Throws<QapiJsonException>(() => In(json, read));
        Assert.Equal("GenericError", e.ErrorClass);
        return e.Message;
    }

    /// <summary>Reads, writes back and checks the bytes are those given (canonical input).</summary>
    public static T RoundTrip<T>(string json, QapiReadFunc<T> read, Action<Utf8JsonWriter, T> write)
    {
        T? value = In(json, read);
        Assert.Equal(json, Out(value, write));
        return value;
    }
}
