using System.Text.RegularExpressions;

namespace TaskEvents.AppHost.Dashboard;

/// <summary>Hides secrets in environment values shown on the details page: passwords in connection strings, keys, tokens.</summary>
internal static partial class SecretMask
{
    public const string Mask = "••••••••";

    public static string? Apply(string name, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (SecretName().IsMatch(name))
        {
            return Mask;
        }

        return PasswordPart().Replace(value, m => $"{m.Groups[1].Value}={Mask}");
    }

    [GeneratedRegex("(PASSWORD|SECRET|TOKEN|SIGNINGKEY|APIKEY|_KEY$|__KEY$)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex("(Password|Pwd)=[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordPart();
}
