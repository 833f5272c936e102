package io.vbo.discovery.service;

import io.vbo.ami.AmiMessage;
import io.vbo.discovery.ami.AmiParsers;
import io.vbo.events.ContactStatus;
import io.vbo.events.EndpointEvent;
import io.vbo.events.EndpointGone;
import io.vbo.events.EndpointObserved;
import io.vbo.events.InvalidEventException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * What one PBX has registered, and the events that follow from each new look at it: every listed contact is published
 * ({@link EndpointObserved}), a contact no longer listed is {@link EndpointGone}, and a {@code ContactStatus} event
 * is published at once, as is a change of an endpoint's active calls. Contacts are tracked by URI (a restarted phone registers a new URI; the old one goes).
 * Each event carries the contact's site ({@link Sites}), assigned from every contact known at that moment.
 */
public final class PbxDiscovery {
    private static final Logger LOG = Logger.getLogger(PbxDiscovery.class);

    private final String pbxId;
    private final Consumer<EndpointEvent> sink;
    private final Clock clock;
    private final Sites sites;
    private Map<String, Contact> known = new LinkedHashMap<>();
    private Map<String, Integer> activeChannels = new HashMap<>();

    public PbxDiscovery(String pbxId, Consumer<EndpointEvent> sink, Clock clock, Sites sites) {
        this.pbxId = pbxId;
        this.sink = sink;
        this.clock = clock;
        this.sites = sites;
    }

    /** A complete listing: publish every contact, and a gone event for each previous contact missing from it. */
    public synchronized void snapshot(List<Contact> contacts, Map<String, Integer> channels) {
        Instant now = clock.instant();
        activeChannels = new HashMap<>(channels);
        Map<String, Contact> current = new LinkedHashMap<>();
        contacts.forEach(contact -> current.put(contact.uri(), contact));
        Map<String, String> siteOf = sites.assign(current.values());
        for (Contact contact : current.values()) {
            observed(contact, siteOf.get(contact.uri()), now).ifPresent(sink);
        }
        for (Contact old : known.values()) {
            if (!current.containsKey(old.uri())) {
                gone(old.endpoint(), old.uri(), "absent from the contact list", now).ifPresent(sink);
            }
        }
        known = current;
    }

    /** A {@code ContactStatus} event: {@code Removed} → gone; any other state → the contact with its new state. */
    public synchronized void contactStatus(AmiMessage event) {
        String uri = event.get("URI");
        String aor = event.get("AOR");
        String endpoint = event.get("EndpointName");
        if (uri == null || aor == null) {
            LOG.warnf("PBX %s: ContactStatus event without URI or AOR ignored: %s", pbxId, event.headers());
            return;
        }
        if (endpoint == null || endpoint.isEmpty()) {
            endpoint = aor;
        }
        Instant now = clock.instant();
        ContactStatus status = ContactStatus.fromAsterisk(event.get("ContactStatus"));
        Contact previous = known.get(uri);
        if (status == ContactStatus.REMOVED) {
            known.remove(uri);
            gone(endpoint, uri, "removed", now).ifPresent(sink);
            return;
        }
        Optional<ContactAddress> address = previous != null ? Optional.of(previous.address()) : ContactAddress.of(uri, null, null);
        if (address.isEmpty()) {
            LOG.warnf("PBX %s: contact %s has no IP address in its URI; waiting for the next listing", pbxId, uri);
            return;
        }
        // Asterisk puts RoundtripUsec 0 in events that carry no measurement (NonQualified, Unreachable).
        Long rtt = status == ContactStatus.REACHABLE ? AmiParsers.micros(event.get("RoundtripUsec")) : null;
        Contact updated = new Contact(aor, endpoint, uri, address.get(), status, rtt,
                previous != null ? previous.userAgent() : "");
        known.put(uri, updated);
        observed(updated, sites.assign(known.values()).get(uri), now).ifPresent(sink);
    }

    /** A call started or ended on an endpoint: its contacts are published at once with the new count. */
    public synchronized void activeCalls(String endpoint, int count) {
        activeChannels.put(endpoint, count);
        Instant now = clock.instant();
        Map<String, String> siteOf = sites.assign(known.values());
        for (Contact contact : known.values()) {
            if (contact.endpoint().equals(endpoint)) {
                observed(contact, siteOf.get(contact.uri()), now).ifPresent(sink);
            }
        }
    }

    public synchronized int contactCount() {
        return known.size();
    }

    private Optional<EndpointEvent> observed(Contact c, String site, Instant now) {
        try {
            return Optional.of(new EndpointObserved(EndpointObserved.SCHEMA, pbxId, c.endpoint(), c.aor(), c.uri(),
                    c.address().address(), c.address().port(), c.address().transport(), c.status(), c.rttMicros(),
                    c.userAgent(), activeChannels.getOrDefault(c.endpoint(), 0), now, site));
        } catch (InvalidEventException e) {
            LOG.warnf("PBX %s: contact %s not published, field %s: %s", pbxId, c.uri(), e.field(), e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<EndpointEvent> gone(String endpoint, String uri, String reason, Instant now) {
        try {
            return Optional.of(new EndpointGone(EndpointGone.SCHEMA, pbxId, endpoint, uri, reason, now));
        } catch (InvalidEventException e) {
            LOG.warnf("PBX %s: gone contact %s not published, field %s: %s", pbxId, uri, e.field(), e.getMessage());
            return Optional.empty();
        }
    }
}
