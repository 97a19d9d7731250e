using QRCoder;

namespace Parley.Server.Features.Accounts;

/// <summary>An <c>otpauth://</c> URI drawn as a QR code, for authenticator apps that scan rather than type.</summary>
public static class AuthenticatorQrCode
{
    public static string DataUrl(string authenticatorUri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(authenticatorUri, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(5);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }
}
