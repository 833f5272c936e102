package io.vbo.policy.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vbo.policy.config.SitesConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SiteConfigTest {
    private static SitesConfig.Uplink uplink(Long down, Long up) {
        return new SitesConfig.Uplink() {
            @Override
            public OptionalLong down() {
                return down == null ? OptionalLong.empty() : OptionalLong.of(down);
            }

            @Override
            public OptionalLong up() {
                return up == null ? OptionalLong.empty() : OptionalLong.of(up);
            }
        };
    }

    private static SitesConfig.Site site(String name, SitesConfig.Uplink uplink, Integer maxCalls, Integer calls) {
        return new SitesConfig.Site() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<List<String>> cidrs() {
                return Optional.empty();
            }

            @Override
            public Optional<SitesConfig.Uplink> uplink() {
                return Optional.ofNullable(uplink);
            }

            @Override
            public Optional<Integer> maxCalls() {
                return Optional.ofNullable(maxCalls);
            }

            @Override
            public Optional<Integer> concurrentCalls() {
                return Optional.ofNullable(calls);
            }
        };
    }

    private static Map<String, SiteService.Declared> declared(SitesConfig.Site... sites) {
        return SiteService.declared(() -> List.of(sites));
    }

    private static String refusal(SitesConfig.Site... sites) {
        return assertThrows(IllegalArgumentException.class, () -> declared(sites)).getMessage();
    }

    @Test
    void theSmallerDirectionIsTheCapacity() {
        assertEquals(new SiteService.Declared("branch", 150_000L, 200_000L, 150_000L, 4, 2),
                declared(site("branch", uplink(200_000L, 150_000L), 4, 2)).get("branch"));
        assertEquals(new SiteService.Declared("down-only", 300_000L, 300_000L, null, null, null),
                declared(site("down-only", uplink(300_000L, null), null, null)).get("down-only"));
        assertEquals(new SiteService.Declared("measured", null, null, null, null, null),
                declared(site("measured", null, null, null)).get("measured"));
    }

    @Test
    void theLimitIsTheCallsThatFitCappedByMaxCalls() {
        // 200 kbit/s × 0.8 = 160,000 bit/s usable; GSM 36,400 per call: floor(160,000 ÷ 36,400) = 4.
        assertEquals(160_000, SiteService.usable(200_000, 0.8));
        assertEquals(4, SiteService.maxCalls(160_000, 36_400, null));
        assertEquals(3, SiteService.maxCalls(160_000, 36_400, 3), "max-calls 3 lowers it");
        assertEquals(4, SiteService.maxCalls(160_000, 36_400, 10), "max-calls never raises it");
        assertEquals(0, SiteService.maxCalls(160_000, 36_400, 0), "0 refuses every call");
        // G.711 87,200 per call: floor(160,000 ÷ 87,200) = 1; on 100 kbit/s (80,000 usable) none fits.
        assertEquals(1, SiteService.maxCalls(160_000, 87_200, null));
        assertEquals(0, SiteService.maxCalls(SiteService.usable(100_000, 0.8), 87_200, null));
    }

    @Test
    void hostileNamesAndBadValuesStopTheStartWithTheKeyNamed() {
        for (String hostile : List.of("a,b", "x)", "${EXTEN}", "a b", "-lead", "semi;colon")) {
            String message = refusal(site(hostile, null, null, null));
            assertTrue(message.startsWith("vbo.sites[0].name '"), message);
            assertTrue(message.contains("must match [A-Za-z0-9][A-Za-z0-9_-]{0,63}"), message);
        }
        assertEquals("vbo.sites[1].name 'b' is configured twice",
                refusal(site("b", null, null, null), site("b", null, null, null)));
        assertEquals("vbo.sites[0].uplink.down must be a positive rate in bit/s, got 0",
                refusal(site("b", uplink(0L, 10L), null, null)));
        assertEquals("vbo.sites[0].uplink: give down and/or up in bit/s", refusal(site("b", uplink(null, null), null, null)));
        assertEquals("vbo.sites[0].max-calls must be 0 or more, got -1", refusal(site("b", null, -1, null)));
        assertEquals("vbo.sites[0].concurrent-calls must be at least 1, got 0", refusal(site("b", null, null, 0)));
    }
}
