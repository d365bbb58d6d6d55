using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace QapiGen.Docs.Tests;

/// <summary>
/// Just enough PNG decoding to look at Chromium's screenshots (8-bit RGB or RGBA, not interlaced):
/// the pixels as RGB, to tell a rendered page from a blank one.
/// </summary>
public sealed class PngImage
{
    private PngImage(int width, int height, byte[] rgb)
    {
        Width = width;
        Height = height;
        Rgb = rgb;
    }

    public int Width { get; }
    public int Height { get; }
    /// <summary>Three bytes per pixel, rows top to bottom.</summary>
    public byte[] Rgb { get; }

    public static PngImage Read(string file)
    {
        var data = File.ReadAllBytes(file);
        if (data.Length < 8 || data[0] != 0x89 || data[1] != (byte)'P')
            throw new InvalidDataException("not a PNG");
        int width = 0, height = 0, channels = 0;
        var idat = new MemoryStream();
        for (var pos = 8; pos + 8 <= data.Length;)
        {
            var length = (data[pos] << 24) | (data[pos + 1] << 16) | (data[pos + 2] << 8) | data[pos + 3];
            var type = System.Text.Encoding.ASCII.GetString(data, pos + 4, 4);
            var body = pos + 8;
            if (type == "IHDR")
            {
                width = (data[body] << 24) | (data[body + 1] << 16) | (data[body + 2] << 8) | data[body + 3];
                height = (data[body + 4] << 24) | (data[body + 5] << 16) | (data[body + 6] << 8) | data[body + 7];
                var depth = data[body + 8];
                var colour = data[body + 9];
                var interlace = data[body + 12];
                if (depth != 8 || colour is not (2 or 6) || interlace != 0)
                    throw new InvalidDataException($"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})");
                channels = colour == 2 ? 3 : 4;
            }
            else if (type == "IDAT")
            {
                idat.Write(data, body, length);
            }
            pos = body + length + 4;
        }
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var stride = width * channels;
        var raw = new byte[height * (stride + 1)];
        var read = 0;
        while (read < raw.Length)
        {
            var n = z.Read(raw, read, raw.Length - read);
            if (n == 0)
                throw new InvalidDataException("truncated PNG data");
            read += n;
        }
        var pixels = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var src = y * (stride + 1) + 1;
            var dst = y * stride;
            for (var x = 0; x < stride; x++)
            {
                int a = x >= channels ? pixels[dst + x - channels] : 0;
                int b = y > 0 ? pixels[dst - stride + x] : 0;
                int c = x >= channels && y > 0 ? pixels[dst - stride + x - channels] : 0;
                int v = raw[src + x];
                v += filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"bad PNG filter {filter}"),
                };
                pixels[dst + x] = (byte)v;
            }
        }
        var rgb = new byte[width * height * 3];
        for (int i = 0, j = 0; i < pixels.Length; i += channels, j += 3)
        {
            rgb[j] = pixels[i];
            rgb[j + 1] = pixels[i + 1];
            rgb[j + 2] = pixels[i + 2];
        }
        return new PngImage(width, height, rgb);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>The share of pixels that differ from the most common colour (the background).</summary>
    public double InkRatio()
    {
        var counts = new Dictionary<int, int>();
        for (var i = 0; i < Rgb.Length; i += 3)
        {
            var key = (Rgb[i] << 16) | (Rgb[i + 1] << 8) | Rgb[i + 2];
            counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;
        }
        var background = 0;
        foreach (var n in counts.Values)
            background = Math.Max(background, n);
        var total = Rgb.Length / 3;
        return total == 0 ? 0 : (double)(total - background) / total;
    }

    /// <summary>How many different colours appear.</summary>
    public int Colours()
    {
        var set = new HashSet<int>();
        for (var i = 0; i < Rgb.Length; i += 3)
            set.Add((Rgb[i] << 16) | (Rgb[i + 1] << 8) | Rgb[i + 2]);
        return set.Count;
    }
}
