using System.Numerics.Tensors;

namespace Parley.Engine.Knowledge;

/// <summary>Similarity of unit vectors: their dot product, with SIMD.</summary>
public static class VectorMath
{
    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.Dot(a, b);
}
