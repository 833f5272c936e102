package io.vbo.lab.netns;

import java.util.List;

/**
 * A simulated branch office: a router namespace joined to the root namespace (the "PBX") by one shaped veth pair on
 * {@code 10.231.<wanSubnet>.0/24} (the site's uplink), and phones in namespaces of their own on a bridge in the
 * router, on {@code 10.231.<lanSubnet>.0/24}, each with {@code iperf3 -s}. Everything the PBX sends a phone crosses
 * the one uplink, shaped on its egress each way like a single phone's link.
 *
 * @param name            short name inside its lab ({@code site1}, …)
 * @param routerNamespace the router's namespace (holds the bridge and forwards between the uplink and the phones)
 * @param hostDevice      root-namespace end of the uplink; its egress shaping is the downlink (PBX → site)
 * @param routerDevice    router end of the uplink; its egress shaping is the uplink (site → PBX)
 * @param pbxAddress      the root side's address, {@code 10.231.<wanSubnet>.1}
 * @param routerAddress   the router's uplink address, {@code 10.231.<wanSubnet>.2}
 * @param lanSubnet       the third octet of the phones' /24 (the router is {@code .1}, phones {@code .2} on)
 * @param phones          the site's phones; their {@code hostDevice} is their bridge port in the router namespace
 */
public record Site(String name, String routerNamespace, String hostDevice, String routerDevice, String pbxAddress,
        String routerAddress, int lanSubnet, List<Phone> phones) {

    public Site {
        phones = List.copyOf(phones);
    }
}
