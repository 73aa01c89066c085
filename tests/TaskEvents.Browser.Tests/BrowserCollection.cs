namespace TaskEvents.Browser.Tests;

/// <summary>The browser tests share one set of hosts and one browser, and run one at a time: the machine has two cores.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
