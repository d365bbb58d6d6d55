using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace QapiGen.Host.Bench;

/// <summary>A server process under test, listening on a unix socket in the benchmark's directory.</summary>
internal sealed class BenchServer : IDisposable
{
    private readonly Process _process;

    private BenchServer(string name, Process process, string socketPath)
    {
        Name = name;
        _process = process;
        SocketPath = socketPath;
    }

    public string Name { get; }

    public string SocketPath { get; }

    public static BenchServer Start(string name, string socketPath, string program, params string[] args)
    {
        ProcessStartInfo info = new(program) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        Process process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        for (int i = 0; i < 600 && !File.Exists(socketPath); i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with {process.ExitCode}");
            }
            Thread.Sleep(25);
        }
        return new BenchServer(name, process, socketPath);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
