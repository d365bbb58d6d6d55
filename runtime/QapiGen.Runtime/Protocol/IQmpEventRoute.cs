using System;
using System.Text.Json;

namespace QapiGen.Runtime.Protocol;

/// <summary>
/// Where the events a session's commands emit go once the session is subscribed to a
/// broadcaster (the event hub); until then they reach that session only. It keeps the
/// session unaware of what broadcasts them.
/// </summary>
internal interface IQmpEventRoute
{
    void Emit<TState>(string name, TState state, Action<Utf8JsonWriter, TState>? writeData);
}
