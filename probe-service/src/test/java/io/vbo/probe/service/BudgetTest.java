package io.vbo.probe.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BudgetTest {
    private final Budget budget = new Budget();
    private final List<Budget.Uplink> pbx = List.of(new Budget.Uplink("pbx-1", 344_000));
    private final List<Budget.Uplink> site = List.of(new Budget.Uplink("pbx-1", 344_000),
            new Budget.Uplink("pbx-1/branch", 100_000));

    @Test
    void aBudgetSetWinsOverTheDeclaredUplinksShare() {
        assertEquals(Optional.of(344_000L), Budget.of(Optional.of(344_000L), Optional.of(100_000_000L), 0.05));
        assertEquals(Optional.of(5_000_000L), Budget.of(Optional.empty(), Optional.of(100_000_000L), 0.05));
        assertEquals(Optional.of(1L), Budget.of(Optional.empty(), Optional.of(10L), 0.05), "never a budget of 0");
        assertEquals(Optional.empty(), Budget.of(Optional.empty(), Optional.empty(), 0.05));
    }

    @Test
    void probesFitWhileTheirPeaksAddUpToTheBudget() {
        for (int i = 0; i < 5; i++) {
            assertTrue(budget.fits(pbx, 68_800), "probe " + (i + 1));
            budget.reserve(pbx, 68_800);
        }
        assertFalse(budget.fits(pbx, 68_800), "a sixth would exceed 344 kbit/s");
        budget.release(pbx, 68_800);
        assertTrue(budget.fits(pbx, 68_800));
    }

    @Test
    void aProbeAboveTheBudgetRunsAloneAndBlocksTheRest() {
        assertTrue(budget.fits(pbx, Long.MAX_VALUE), "an idle uplink takes any probe");
        budget.reserve(pbx, Long.MAX_VALUE);
        assertFalse(budget.fits(pbx, 1));
        budget.release(pbx, Long.MAX_VALUE);
        budget.reserve(pbx, 68_800);
        assertFalse(budget.fits(pbx, Long.MAX_VALUE), "TCP waits for an idle uplink");
        assertTrue(budget.fits(pbx, 275_200), "TCP's reservation was given back whole");
    }

    @Test
    void aSiteProbeCountsOnTheSitesBudgetAndThePbxs() {
        budget.reserve(site, 68_800);
        assertFalse(budget.fits(site, 68_800), "the site's 100 kbit/s holds one");
        assertTrue(budget.fits(pbx, 68_800), "the PBX has room for a phone elsewhere");
        assertTrue(budget.fits(pbx, 275_200), "the site's probe holds 68.8 of the PBX's 344 kbit/s");
        assertFalse(budget.fits(pbx, 275_201));
    }

    @Test
    void liveCallsTakeTheirShareAndAProbeFitsOnlyInWhatTheyLeave() {
        budget.liveCalls(Map.of("pbx-1", 2 * 68_800L));
        assertTrue(budget.fits(pbx, 206_400), "344 − 137.6 kbit/s leaves 206.4");
        assertFalse(budget.fits(pbx, 206_401));
        assertFalse(budget.fits(pbx, Long.MAX_VALUE), "a live call makes the uplink busy: TCP waits");
        budget.reserve(pbx, 137_600);
        assertTrue(budget.fits(pbx, 68_800));
        assertFalse(budget.fits(pbx, 68_801));
        assertTrue(budget.fits(site.subList(1, 2), 100_000), "the calls are on the PBX's uplink, not the site's");
    }

    @Test
    void aCallStartingMayPushTheSumOverByOneCallAndNoMore() {
        for (int i = 0; i < 5; i++) {
            budget.reserve(pbx, 68_800);
        }
        assertEquals(0, budget.overBy(pbx.get(0), 68_800), "no call");
        budget.liveCalls(Map.of("pbx-1", 68_800L));
        assertEquals(68_800 - 68_800, budget.overBy(pbx.get(0), 68_800), "344 + 68.8: one call's worth over, allowed");
        budget.liveCalls(Map.of("pbx-1", 2 * 68_800L));
        assertEquals(68_800, budget.overBy(pbx.get(0), 68_800), "a second call: one probe must stop");
        budget.release(pbx, 68_800);
        assertEquals(0, budget.overBy(pbx.get(0), 68_800));
    }

    @Test
    void tcpRunningWhenACallStartsIsOverByItsWholeRate() {
        budget.reserve(pbx, Long.MAX_VALUE);
        assertEquals(0, budget.overBy(pbx.get(0), 68_800));
        budget.liveCalls(Map.of("pbx-1", 68_800L));
        assertEquals(Long.MAX_VALUE, budget.overBy(pbx.get(0), 68_800), "TCP fills the link the call needs");
        budget.release(pbx, Long.MAX_VALUE);
        assertEquals(0, budget.overBy(pbx.get(0), 68_800));
    }
}
