namespace Parley.Server.Features.Accounts;

/// <summary>Whether the signed-in user signs in with an authenticator code too, and how many recovery codes they have left.</summary>
public sealed record TwoFactorStatusResponse(bool Enabled, int RecoveryCodesLeft);

/// <summary>
/// A new authenticator key to enrol in an authenticator app: the key to type in, the <c>otpauth://</c> URI it stands for,
/// and that URI as a QR code (a PNG data URL). Two-factor sign-in is on only once a code from the app is confirmed.
/// </summary>
public sealed record AuthenticatorSetupResponse(string SharedKey, string AuthenticatorUri, string QrCode);

/// <summary>The 6-digit code the authenticator app shows now.</summary>
public sealed record EnableTwoFactorRequest(string? Code = null);

/// <summary>The account's password, asked again before two-factor sign-in is turned off or recovery codes are replaced.</summary>
public sealed record PasswordConfirmationRequest(string? Password = null);

/// <summary>One-time codes that sign in instead of an authenticator code, each once. Shown only in this response.</summary>
public sealed record RecoveryCodesResponse(IReadOnlyList<string> RecoveryCodes);
