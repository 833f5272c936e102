package io.vbo.lab.netns;

/**
 * One simulated phone: a network namespace joined to the root namespace (the "PBX") by a veth pair on
 * {@code 10.231.<subnet>.0/24}, with {@code iperf3 -s} listening at {@link #address()}:{@link #iperfPort()}.
 *
 * @param name        short name inside its lab ({@code phone1}, {@code phone2}, …)
 * @param subnet      the third octet of the link's /24, unique among live labs on this machine
 * @param namespace   network namespace name
 * @param hostDevice  root-namespace end of the veth pair; its egress shaping is the downlink (PBX → phone)
 * @param phoneDevice namespace end of the veth pair; its egress shaping is the uplink (phone → PBX)
 * @param pbxAddress  the root side's address, {@code 10.231.<subnet>.1}
 * @param address     the phone's address, {@code 10.231.<subnet>.2}
 * @param iperfPort   where the phone's {@code iperf3 -s} listens
 */
public record Phone(String name, int subnet, String namespace, String hostDevice, String phoneDevice,
        String pbxAddress, String address, int iperfPort) {

    String toLine() {
        return String.join("\t", name, Integer.toString(subnet), namespace, hostDevice, phoneDevice, pbxAddress, address,
                Integer.toString(iperfPort));
    }

    static Phone fromLine(String line) {
        String[] f = line.split("\t");
        if (f.length != 8) {
            throw new IllegalArgumentException("not a phone line: " + line);
        }
        return new Phone(f[0], Integer.parseInt(f[1]), f[2], f[3], f[4], f[5], f[6], Integer.parseInt(f[7]));
    }
}
