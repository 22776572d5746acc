using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;

namespace GradGen.Benchmarks.Peers;

/// <summary>
/// Makes TorchSharp's native library load on Debian 12. libLibTorchSharp.so (TorchSharp 0.107) asks for the libstdc++
/// symbol version GLIBCXX_3.4.32, which Debian 12's libstdc++ (3.4.30) lacks, so the loader refuses it although no
/// symbol it binds needs that version. Marking the need weak (VER_FLG_WEAK in its SHT_GNU_verneed entry) lets it load.
/// This is <c>../shared/tools/weaken_verneed.py</c> in C#, applied to the copy in the benchmark's output before the first
/// TorchSharp call: benchmarks only, never the product.
/// </summary>
internal static class LibTorch
{
    private const string Library = "libLibTorchSharp.so", Version = "GLIBCXX_3.4.32";

    public static void Prepare()
    {
        if (!OperatingSystem.IsLinux()) return;
        foreach (var path in Directory.EnumerateFiles(AppContext.BaseDirectory, Library, SearchOption.AllDirectories)) WeakenNeed(path, Version);
    }

    /// <summary>Sets VER_FLG_WEAK on every need of <paramref name="version"/> in an ELF64 little-endian shared object.</summary>
    private static void WeakenNeed(string path, string version)
    {
        var data = File.ReadAllBytes(path);
        var sectionsAt = (int)BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(0x28));
        var (entrySize, count) = (BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(0x3A)), BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(0x3C)));
        int Section(int index, int field) => sectionsAt + index * entrySize + field;
        var changed = false;
        for (var i = 0; i < count; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(Section(i, 4))) != 0x6ffffffe) continue; // SHT_GNU_verneed
            var offset = (int)BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(Section(i, 24)));
            var link = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(Section(i, 40)));
            var needs = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(Section(i, 44)));
            var strings = (int)BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(Section(link, 24)));
            for (var (need, n) = (offset, 0); n < needs; n++)
            {
                var auxiliaries = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(need + 2));
                var auxiliary = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(need + 8));
                for (var a = 0; a < auxiliaries; a++)
                {
                    var name = strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(auxiliary + 8));
                    var flags = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(auxiliary + 4));
                    if (Encoding.ASCII.GetString(data, name, Array.IndexOf(data, (byte)0, name) - name) == version && (flags & 2) == 0)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(auxiliary + 4), (ushort)(flags | 2));
                        changed = true;
                    }
                    auxiliary += (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(auxiliary + 12));
                }
                var next = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(need + 12));
                if (next == 0) break;
                need += next;
            }
        }
        if (changed) File.WriteAllBytes(path, data);
    }
}
