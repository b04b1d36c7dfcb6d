using System.ComponentModel;
using System.Globalization;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Sinks;

/// <summary>
/// Lets the configuration binder bind a string to <see cref="Secret"/> (a sink's token, a secret header), so options
/// hold secrets as <see cref="Secret"/> from the moment they are read and never print them. Registered once per process.
/// </summary>
public static class SecretBinding
{
    private static readonly Lazy<bool> Registered = new(() =>
    {
        TypeDescriptor.AddAttributes(typeof(Secret), new TypeConverterAttribute(typeof(SecretConverter)));
        return true;
    });

    /// <summary>Registers the converter; idempotent and thread-safe.</summary>
    public static void EnsureRegistered() => _ = Registered.Value;

    private sealed class SecretConverter : TypeConverter
    {
        public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

        public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
            value is string text ? new Secret(text) : base.ConvertFrom(context, culture, value);

        // Converting back to text is the one thing this converter must never do.
        public override bool CanConvertTo(ITypeDescriptorContext? context, Type? destinationType) => false;
    }
}
