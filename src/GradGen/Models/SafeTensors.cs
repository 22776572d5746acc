using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace GradGen;

/// <summary>
/// Saves and loads a model's parameters in the safetensors format (Hugging Face's, which PyTorch's world exchanges
/// weights in): an 8-byte little-endian header length, a JSON header mapping each tensor's name to its dtype, shape and
/// byte offsets, then the tensors' little-endian bytes. Names are the models' dotted ones (<c>hidden.weight</c>),
/// so that <c>safetensors.torch.load_file(path)</c> in Python gives a <c>state_dict</c> for the equivalent module.
/// </summary>
public static class SafeTensors
{
    /// <summary>Writes every parameter of <paramref name="model"/> to <paramref name="path"/>: loading it again gives the same bits.</summary>
    public static void Save<T>(this IModel<T> model, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        var collector = new Collector<T>([]);
        model.Visit(ref collector);
        var tensors = collector.Tensors;
        if (tensors.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"The model has two parameters named '{twice.Key}': a file needs distinct names.");
        }

        var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("__metadata__");
            writer.WriteString("format", "pt");
            writer.WriteEndObject();
            long offset = 0;
            foreach (var (name, shape, data) in tensors)
            {
                writer.WriteStartObject(name);
                writer.WriteString("dtype", DType<T>());
                writer.WriteStartArray("shape");
                foreach (var n in shape) writer.WriteNumberValue(n);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset += (long)data.Length * Size<T>());
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        // The header is padded with spaces to a multiple of 8 bytes, so that the data is aligned (as the Python writer does).
        var header = json.ToArray();
        var padded = (header.Length + 7) / 8 * 8;
        using var file = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        file.Write(length);
        file.Write(header);
        for (var i = header.Length; i < padded; i++) file.WriteByte((byte)' ');
        foreach (var (_, _, data) in tensors) file.Write(LittleEndian(data));
    }

    /// <summary>
    /// Reads <paramref name="path"/> into <paramref name="model"/>'s parameters, in place. Every parameter must be in the
    /// file with its shape and the model's number type, and the file must hold nothing else; otherwise nothing is read and
    /// the error names the tensor.
    /// </summary>
    public static void LoadFrom<T>(this IModel<T> model, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        var tensors = Read<T>(File.ReadAllBytes(path), path);
        var checker = new Checker<T>(tensors, path, []);
        model.Visit(ref checker);
        if (tensors.Keys.FirstOrDefault(name => !checker.Seen.Contains(name)) is { } extra)
        {
            throw new InvalidDataException($"{path} has a tensor '{extra}' that the model does not: the model's parameters are {string.Join(", ", checker.Seen)}.");
        }
        var loader = new Loader<T>(tensors);
        model.Visit(ref loader);
    }

    /// <summary>Each tensor of the file: its shape and numbers, after checking the header against the format.</summary>
    private static Dictionary<string, (int[] Shape, ReadOnlyMemory<byte> Bytes, string DType)> Read<T>(byte[] file, string path) where T : unmanaged, IFloatingPointIeee754<T>
    {
        InvalidDataException Bad(string why) => new($"{path} is not a safetensors file: {why}.");
        if (file.Length < 8) throw Bad($"it has {file.Length} bytes, fewer than the 8 of the header's length");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > (ulong)(file.Length - 8)) throw Bad($"its header length is {headerLength} bytes and the file has {file.Length - 8} after it");
        var data = file.AsMemory(8 + (int)headerLength);
        JsonDocument header;
        try
        {
            header = JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
        }
        catch (JsonException e)
        {
            throw Bad("its header is not JSON (" + e.Message + ")");
        }
        using var _ = header;
        if (header.RootElement.ValueKind != JsonValueKind.Object) throw Bad("its header is not a JSON object");

        var tensors = new Dictionary<string, (int[], ReadOnlyMemory<byte>, string)>();
        var covered = new List<(long Begin, long End, string Name)>();
        foreach (var tensor in header.RootElement.EnumerateObject())
        {
            if (tensor.Name == "__metadata__") continue;
            var name = tensor.Name;
            var entry = tensor.Value;
            if (entry.ValueKind != JsonValueKind.Object
                || !entry.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String
                || !entry.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
                || !entry.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            {
                throw Bad($"the tensor '{name}' needs a dtype, a shape and two data_offsets");
            }
            var dims = shape.EnumerateArray().Select(d => d.TryGetInt32(out var n) && n >= 0 ? n : throw Bad($"the tensor '{name}' has a shape entry '{d}'")).ToArray();
            if (!offsets[0].TryGetInt64(out var begin) || !offsets[1].TryGetInt64(out var end) || begin < 0 || end < begin || end > data.Length)
            {
                throw Bad($"the tensor '{name}' has data_offsets [{offsets[0]}, {offsets[1]}] outside its {data.Length} bytes of data");
            }
            var size = SizeOf(dtype.GetString()!);
            var count = dims.Aggregate(1L, (a, n) => a * n);
            if (size > 0 && end - begin != count * size)
            {
                throw Bad($"the tensor '{name}' is {dtype.GetString()} [{string.Join(", ", dims)}], {count * size} bytes, and its data_offsets span {end - begin}");
            }
            covered.Add((begin, end, name));
            tensors.Add(name, (dims, data.Slice((int)begin, (int)(end - begin)), dtype.GetString()!));
        }
        covered.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        for (var i = 1; i < covered.Count; i++)
        {
            if (covered[i].Begin < covered[i - 1].End) throw Bad($"the tensors '{covered[i - 1].Name}' and '{covered[i].Name}' overlap");
        }
        return tensors;
    }

    private static string DType<T>() => typeof(T) == typeof(double) ? "F64" : "F32";

    private static int Size<T>() where T : unmanaged => typeof(T) == typeof(double) ? 8 : 4;

    /// <summary>The bytes per number of the dtypes the format defines (0 for one it does not name here: its size is not checked).</summary>
    private static int SizeOf(string dtype) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
        _ => 0,
    };

    private static string Describe(int[] shape) => "[" + string.Join(", ", shape) + "]";

    private static ReadOnlySpan<byte> LittleEndian<T>(T[] data) where T : unmanaged =>
        BitConverter.IsLittleEndian ? MemoryMarshal.AsBytes(data.AsSpan()) : throw new PlatformNotSupportedException("safetensors files are little-endian; this machine is not.");

    private readonly struct Collector<T>(List<(string Name, int[] Shape, T[] Data)> tensors) : IParameterVisitor<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public List<(string Name, int[] Shape, T[] Data)> Tensors => tensors;
        public bool NeedsNames => true;
        public void Visit(Parameter<T> parameter) => tensors.Add((parameter.Name, parameter.Shape(), parameter.Value.ToArray()));
    }

    private readonly struct Checker<T>(Dictionary<string, (int[] Shape, ReadOnlyMemory<byte> Bytes, string DType)> tensors, string path, List<string> seen) : IParameterVisitor<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public List<string> Seen => seen;
        public bool NeedsNames => true;

        public void Visit(Parameter<T> parameter)
        {
            seen.Add(parameter.Name);
            if (!tensors.TryGetValue(parameter.Name, out var tensor))
            {
                throw new InvalidDataException($"{path} has no tensor '{parameter.Name}' (a {Describe(parameter.Shape())} parameter of the model); it has {string.Join(", ", tensors.Keys)}.");
            }
            if (tensor.DType != DType<T>())
            {
                throw new InvalidDataException($"{path} has '{parameter.Name}' as {tensor.DType} and the model's parameters are {typeof(T).Name} ({DType<T>()}).");
            }
            if (!tensor.Shape.AsSpan().SequenceEqual(parameter.Shape()))
            {
                throw new InvalidDataException($"{path} has '{parameter.Name}' of shape {Describe(tensor.Shape)} and the model's is {Describe(parameter.Shape())}.");
            }
        }
    }

    private readonly struct Loader<T>(Dictionary<string, (int[] Shape, ReadOnlyMemory<byte> Bytes, string DType)> tensors) : IParameterVisitor<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public bool NeedsNames => true;
        public void Visit(Parameter<T> parameter) => tensors[parameter.Name].Bytes.Span.CopyTo(MemoryMarshal.AsBytes(parameter.Value));
    }
}
