using Parley.Engine.Keys;

namespace Parley.Engine.Tests.Keys;

public sealed class ApiKeyTokenTests
{
    [Theory]
    [InlineData(ApiKeyKind.Secret, "sk_")]
    [InlineData(ApiKeyKind.Publishable, "pk_")]
    public void Generate_HasKindPrefixAndIsWellFormed(ApiKeyKind kind, string prefix)
    {
        var token = ApiKeyToken.Generate(kind);
        Assert.StartsWith(prefix, token, StringComparison.Ordinal);
        Assert.True(ApiKeyToken.IsWellFormed(token));
        Assert.Equal(kind, ApiKeyToken.KindOf(token));
    }

    [Fact]
    public void Generate_TwoTokens_Differ() =>
        Assert.NotEqual(ApiKeyToken.Generate(ApiKeyKind.Secret), ApiKeyToken.Generate(ApiKeyKind.Secret));

    [Fact]
    public void Hash_IsSha256OfToken_AndDiffersPerToken()
    {
        var a = ApiKeyToken.Hash("sk_a");
        Assert.Equal(32, a.Length);
        Assert.Equal(a, ApiKeyToken.Hash("sk_a"));
        Assert.NotEqual(a, ApiKeyToken.Hash("sk_b"));
    }

    [Theory]
    [InlineData("xk_abc")]
    [InlineData("sk_short")]
    [InlineData("sk_!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    public void IsWellFormed_Malformed_False(string token) => Assert.False(ApiKeyToken.IsWellFormed(token));

    [Fact]
    public void VisiblePrefix_KeepsOnlyTheStart()
    {
        var token = ApiKeyToken.Generate(ApiKeyKind.Secret);
        Assert.Equal(token[..ApiKeyToken.VisiblePrefixLength], ApiKeyToken.VisiblePrefix(token));
    }
}
