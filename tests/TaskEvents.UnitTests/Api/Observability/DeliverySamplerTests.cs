using TaskEvents.Api.Observability;

namespace TaskEvents.UnitTests.Api.Observability;

/// <summary>The delivery span rate: the first N batches of each second, shared by every stream of a process.</summary>
public sealed class DeliverySamplerTests
{
    private const long Second = 1_000;

    [Fact]
    public void Takes_the_first_batches_of_a_second_up_to_the_rate_and_refuses_the_rest()
    {
        var sampler = new DeliverySampler(3, Second);

        var taken = Enumerable.Range(0, 10).Select(i => sampler.TrySample(5_000 + i)).ToList();

        Assert.Equal([true, true, true, false, false, false, false, false, false, false], taken);
    }

    [Fact]
    public void A_new_second_takes_again()
    {
        var sampler = new DeliverySampler(2, Second);
        Assert.True(sampler.TrySample(5_000));
        Assert.True(sampler.TrySample(5_100));
        Assert.False(sampler.TrySample(5_999));

        Assert.True(sampler.TrySample(6_000));
        Assert.True(sampler.TrySample(6_500));
        Assert.False(sampler.TrySample(6_999));
    }

    [Fact]
    public void Zero_spans_per_second_takes_none()
    {
        var sampler = new DeliverySampler(0, Second);

        Assert.DoesNotContain(true, Enumerable.Range(0, 5).Select(i => sampler.TrySample(5_000 + (i * Second))));
    }

    [Fact]
    public void Streams_sampling_at_once_take_no_more_than_the_rate()
    {
        var sampler = new DeliverySampler(100, Second);

        var taken = 0;
        Parallel.For(0, 10_000, _ =>
        {
            if (sampler.TrySample(5_000))
            {
                Interlocked.Increment(ref taken);
            }
        });

        Assert.Equal(100, taken);
    }
}
