using ImagingValue.Core.Text;

namespace ImagingValue.Core.Tests.Text;

public sealed class MoneyTests
{
    [Theory]
    [InlineData(4900, "$4,900")]
    [InlineData(480200, "$480,200")]
    [InlineData(0, "$0")]
    [InlineData(-585.4, "-$585")]
    [InlineData(25111.6, "$25,112")]
    public void Dollars_WholeDollarsSignBeforeTheSymbol(double value, string written) => Assert.Equal(written, Money.Dollars(value));
}
