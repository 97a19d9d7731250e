using System.Security.Cryptography;
using System.Text;
using CsCheck;
using Parley.Engine.Webhooks;

namespace Parley.Engine.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    // The example of the Standard Webhooks specification: a receiver using any of its libraries accepts our signature.
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecMessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecBody = """{"test": 2432232314}""";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Sign_StandardWebhooksExample_MatchesTheSpecification() =>
        Assert.Equal(SpecSignature, WebhookSignature.Sign([SpecSecret], SpecMessageId, SpecTimestamp, SpecBody));

    [Fact]
    public void Sign_HmacOverIdTimestampAndExactBodyBytes_UnderTheSecretsBase64Key()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        const string body = "{\"text\":\"Grüße 👋\"}";
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"msg_1.1700000000.{body}")));

        Assert.Equal("v1," + expected, WebhookSignature.Sign(["whsec_" + Convert.ToBase64String(key)], "msg_1", 1700000000, body));
    }

    [Fact]
    public void Sign_SecretWithoutPrefix_SameKey()
    {
        var secret = WebhookSignature.NewSecret();
        Assert.Equal(
            WebhookSignature.Sign([secret], "msg_1", 1, "{}"),
            WebhookSignature.Sign([secret["whsec_".Length..]], "msg_1", 1, "{}"));
    }

    [Fact]
    public void Sign_RotatedSecrets_OneSignatureEachInOrderSeparatedBySpaces()
    {
        var (old, current) = (WebhookSignature.NewSecret(), WebhookSignature.NewSecret());

        var header = WebhookSignature.Sign([old, current], "msg_1", 1700000000, "{}");

        Assert.Equal(
            $"{WebhookSignature.Sign([old], "msg_1", 1700000000, "{}")} {WebhookSignature.Sign([current], "msg_1", 1700000000, "{}")}",
            header);
        Assert.True(WebhookSignature.Verify(old, "msg_1", 1700000000, "{}", header));
        Assert.True(WebhookSignature.Verify(current, "msg_1", 1700000000, "{}", header));
    }

    [Fact]
    public void NewSecret_PrefixAnd32RandomBytes()
    {
        var secret = WebhookSignature.NewSecret();
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.NotEqual(secret, WebhookSignature.NewSecret());
    }

    [Fact]
    public void Verify_StandardWebhooksExample_True() =>
        Assert.True(WebhookSignature.Verify(SpecSecret, SpecMessageId, SpecTimestamp, SpecBody, SpecSignature));

    [Theory]
    [InlineData("v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData(",g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    [InlineData("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE")]
    [InlineData("v1,")]
    [InlineData("")]
    public void Verify_OtherVersionOrMangledSignature_False(string header) =>
        Assert.False(WebhookSignature.Verify(SpecSecret, SpecMessageId, SpecTimestamp, SpecBody, header));

    [Fact]
    public void Verify_SignatureAmongOthers_True() =>
        Assert.True(WebhookSignature.Verify(SpecSecret, SpecMessageId, SpecTimestamp, SpecBody, $"v1,bm9wZQ== v2,x  {SpecSignature}"));

    [Fact]
    public void Verify_AnyChangeToIdTimestampOrBody_False()
    {
        Assert.False(WebhookSignature.Verify(SpecSecret, "msg_other", SpecTimestamp, SpecBody, SpecSignature));
        Assert.False(WebhookSignature.Verify(SpecSecret, SpecMessageId, SpecTimestamp + 1, SpecBody, SpecSignature));
        Assert.False(WebhookSignature.Verify(SpecSecret, SpecMessageId, SpecTimestamp, SpecBody + " ", SpecSignature));
        Assert.False(WebhookSignature.Verify(WebhookSignature.NewSecret(), SpecMessageId, SpecTimestamp, SpecBody, SpecSignature));
    }

    [Fact]
    public void Verify_SignedBodyItself_TrueAndAnyOtherBody_False() =>
        Gen.Select(Gen.String, Gen.String, Gen.Long[0, 4_000_000_000]).Sample((body, other, timestamp) =>
        {
            var secret = WebhookSignature.NewSecret();
            var header = WebhookSignature.Sign([secret], "msg_1", timestamp, body);
            return WebhookSignature.Verify(secret, "msg_1", timestamp, body, header)
                && (body == other || !WebhookSignature.Verify(secret, "msg_1", timestamp, other, header));
        }, iter: 200);
}
