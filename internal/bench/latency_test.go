package bench

import (
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kubehardening/terraform-provider-hardened/internal/testcluster"
)

// A round trip through the proxy takes the configured time, and concurrent exchanges overlap
// instead of queueing behind one another.
func TestDelayProxy(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(c, c); _ = c.Close() }()
		}
	}()
	const rtt = 60 * time.Millisecond
	p, err := StartDelayProxy(context.Background(), ln.Addr().String(), rtt)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	// Timed from before the dial: the proxy's connection to the target (one round trip) starts
	// when it accepts, so timing from after the dial could miss part of it.
	exchange := func() time.Duration {
		start := time.Now()
		c, err := net.Dial("tcp", p.Addr())
		if err != nil {
			t.Error(err)
			return 0
		}
		defer c.Close()
		if _, err := c.Write([]byte("ping")); err != nil {
			t.Error(err)
		}
		buf := make([]byte, 4)
		if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "ping" {
			t.Errorf("echo through the proxy: %q, %v", buf, err)
		}
		return time.Since(start)
	}
	// The first byte waits for the connection to the target (one round trip), then its own.
	if d := exchange(); d < 2*rtt || d > 5*rtt {
		t.Errorf("one round trip took %s, want about %s", d, rtt)
	}
	start := time.Now()
	var wg sync.WaitGroup
	for range 5 {
		wg.Add(1)
		go func() { defer wg.Done(); exchange() }()
	}
	wg.Wait()
	// Each exchange is a connection and a round trip; five in parallel take about as long as one.
	if d := time.Since(start); d > 4*rtt {
		t.Errorf("five concurrent round trips took %s: they should overlap", d)
	}
	p.Stop()
	if _, err := net.DialTimeout("tcp", p.Addr(), time.Second); err == nil {
		t.Errorf("the proxy still accepts after Stop")
	}
}

// The delayed run's namespaces are its own, in the names and in every HCL mention.
func TestRenamed(t *testing.T) {
	anchor, err := AnchorConfig(3, testcluster.AnchorVersion)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []Config{OursConfig(3, "0.3.0"), anchor} {
		r := Renamed(c, "far")
		if r.Namespaces[2] != "bench-"+c.Variant+"-far-0002" || c.Namespaces[2] != "bench-"+c.Variant+"-0002" {
			t.Errorf("%s: renamed %v from %v", c.Variant, r.Namespaces, c.Namespaces)
		}
		if strings.Contains(r.HCL, `"bench-`+c.Variant+`-0`) || !strings.Contains(r.HCL, `"bench-`+c.Variant+`-far-0002"`) {
			t.Errorf("%s: the HCL keeps loopback names:\n%s", c.Variant, r.HCL)
		}
	}
}

func TestSequentialRoundTrips(t *testing.T) {
	loop, far := &Step{Seconds: 2}, &Step{Seconds: 5}
	// 100 namespaces, 10 at a time: 10 waves; 3 s more is 0.3 s per wave, 10 round trips of 30 ms.
	if k, ok := SequentialRoundTrips(loop, far, 100, 10, 30*time.Millisecond); !ok || k < 9.99 || k > 10.01 {
		t.Errorf("SequentialRoundTrips = %.2f, %t; want 10", k, ok)
	}
	if _, ok := SequentialRoundTrips(loop, &Step{Err: "failed"}, 100, 10, 30*time.Millisecond); ok {
		t.Errorf("a failed step gives no estimate")
	}
}
