namespace TaskEvents.Gateway.DevTokens;

/// <summary>The OAuth-style answer: <c>{access_token, token_type, expires_in}</c>.</summary>
internal sealed record DevTokenResponse(string AccessToken, string TokenType, int ExpiresIn);
