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
        byte[] data = File.ReadAllBytes(file);
        if (data.Length < 8 || data[0] != 0x89 || data[1] != (byte)'P')
        {
            throw new InvalidDataException("not a PNG");
        }

        int width = 0, height = 0, channels = 0;
        var idat = new MemoryStream();
        for (int pos = 8; pos + 8 <= data.Length;)
        {
            int length = (data[pos] << 24) | (data[pos + 1] << 16) | (data[pos + 2] << 8) | data[pos + 3];
            string type = System.Text.Encoding.ASCII.GetString(data, pos + 4, 4);
            int body = pos + 8;
            if (type == "IHDR")
            {
                width = (data[body] << 24) | (data[body + 1] << 16) | (data[body + 2] << 8) | data[body + 3];
                height = (data[body + 4] << 24) | (data[body + 5] << 16) | (data[body + 6] << 8) | data[body + 7];
                byte depth = data[body + 8];
                byte colour = data[body + 9];
                byte interlace = data[body + 12];
                if (depth != 8 || colour is not (2 or 6) || interlace != 0)
                {
                    throw new InvalidDataException($"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})");
                }

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
        int stride = width * channels;
        byte[] raw = new byte[height * (stride + 1)];
        int read = 0;
        while (read < raw.Length)
        {
            int n = z.Read(raw, read, raw.Length - read);
            if (n == 0)
            {
                throw new InvalidDataException("truncated PNG data");
            }

            read += n;
        }
        byte[] pixels = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            byte filter = raw[y * (stride + 1)];
            int src = y * (stride + 1) + 1;
            int dst = y * stride;
            for (int x = 0; x < stride; x++)
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
        byte[] rgb = new byte[width * height * 3];
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
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>The share of pixels that differ from the most common colour (the background).</summary>
    public double InkRatio()
    {
        var counts = new Dictionary<int, int>();
        for (int i = 0; i < Rgb.Length; i += 3)
        {
            int key = (Rgb[i] << 16) | (Rgb[i + 1] << 8) | Rgb[i + 2];
            counts[key] = counts.TryGetValue(key, out int n) ? n + 1 : 1;
        }
        int background = 0;
        foreach (int n in counts.Values)
        {
            background = Math.Max(background, n);
        }

        int total = Rgb.Length / 3;
        return total == 0 ? 0 : (double)(total - background) / total;
    }

    /// <summary>How many different colours appear.</summary>
    public int Colours()
    {
        var set = new HashSet<int>();
        for (int i = 0; i < Rgb.Length; i += 3)
        {
            set.Add((Rgb[i] << 16) | (Rgb[i + 1] << 8) | Rgb[i + 2]);
        }

        return set.Count;
    }
}
