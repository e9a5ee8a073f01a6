using System.Net;
using System.Net.Sockets;

namespace OneForm.Sharing;

/// <summary>A webhook target that resolves to an address inside the network, refused before any connection.</summary>
public sealed class WebhookTargetRefusedException(IPAddress address)
    : Exception($"Webhook target {address} is an internal address")
{
    public IPAddress Address { get; } = address;
}

/// <summary>
/// Where webhooks may go: public addresses only, so that a department cannot make OneForm reach this machine, the
/// cloud's metadata service or the internal network (and learn which ports answer from the delivery log). A host the
/// administrator lists in <c>Webhooks:AllowedHosts</c> (a name, or name:port) is exempt. Checked when an endpoint is
/// registered and again at every connection, after resolving the name then, so a name re-pointed inside later
/// (DNS rebinding) is refused too.
/// </summary>
public sealed class WebhookTargets(IConfiguration configuration)
{
    /// <summary>The hosts (or host:port) the administrator allows: a list in configuration, or one comma-separated value.</summary>
    public IReadOnlyList<string> AllowedHosts
    {
        get
        {
            var section = configuration.GetSection("Webhooks:AllowedHosts");
            return [.. section.GetChildren().Select(c => c.Value).Append(section.Value)
                .SelectMany(v => (v ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
        }
    }

    public bool IsAllowed(string host, int port)
    {
        host = host.Trim('[', ']');
        return AllowedHosts.Any(allowed =>
            string.Equals(allowed.Trim('[', ']'), host, StringComparison.OrdinalIgnoreCase)
            || string.Equals(allowed, $"{host}:{port}", StringComparison.OrdinalIgnoreCase)
            || string.Equals(allowed, $"[{host}]:{port}", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The addresses a host stands for: itself when it is an address, else what DNS answers now.</summary>
    public static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken = default) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);

    /// <summary>The first address of the target inside the network, or null when it may be reached.</summary>
    public async Task<IPAddress?> InternalAddressAsync(Uri url, CancellationToken cancellationToken = default) =>
        IsAllowed(url.Host, url.Port) ? null : (await ResolveAsync(url.Host, cancellationToken)).FirstOrDefault(IsInternal);

    /// <summary>Loopback, unspecified, private, shared (CGNAT), link-local, unique-local, site-local, multicast and reserved addresses, also in their IPv6 forms.</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var v6 = address.GetAddressBytes();
            // NAT64 (64:ff9b::/96) and IPv4-compatible (::a.b.c.d) forms carry an IPv4 address in their last four bytes.
            var nat64 = v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b && v6.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0;
            var compatible = v6.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
            if ((nat64 || compatible) && !IPAddress.IPv6Loopback.Equals(address) && !IPAddress.IPv6Any.Equals(address))
            {
                return IsInternal(new IPAddress(v6.AsSpan(12, 4)));
            }
            return IPAddress.IPv6Loopback.Equals(address) || IPAddress.IPv6Any.Equals(address) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal
                   || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        }
        var b = address.GetAddressBytes();
        return b[0] is 0 or 10 or 127 or >= 224
               || (b[0] == 100 && b[1] is >= 64 and < 128)
               || (b[0] == 169 && b[1] == 254)
               || (b[0] == 172 && b[1] is >= 16 and < 32)
               || (b[0] == 192 && b[1] == 168)
               || (b[0] == 192 && b[1] == 0 && b[2] == 0);
    }

    /// <summary>
    /// The webhook client's way to connect: resolve, refuse an internal address unless the host is allowed, then
    /// connect to the very addresses checked (not to a second lookup's answer).
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var (host, port) = (context.DnsEndPoint.Host, context.DnsEndPoint.Port);
        var addresses = await ResolveAsync(host, cancellationToken);
        if (!IsAllowed(host, port) && addresses.FirstOrDefault(IsInternal) is { } inside)
        {
            throw new WebhookTargetRefusedException(inside);
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
