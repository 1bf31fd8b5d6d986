package bench

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"time"
)

// DelayProxy is a TCP proxy on loopback that delays every chunk of bytes by half a round trip in
// each direction, as a network between a runner and a managed cluster does. Chunks keep their
// order and are not slowed by one another (the link's bandwidth is not modelled), so concurrent
// requests overlap as they would over a real connection; a new connection costs a round trip (the
// TCP handshake). TLS passes through untouched: the API server's certificate names 127.0.0.1,
// whatever the port.
type DelayProxy struct {
	ln     net.Listener
	target string
	half   time.Duration
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  map[net.Conn]bool
	closed bool
}

// StartDelayProxy listens on a free loopback port and forwards to target with rtt added to every
// round trip. Stop ends it; ctx bounds its life too.
func StartDelayProxy(ctx context.Context, target string, rtt time.Duration) (*DelayProxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &DelayProxy{ln: ln, target: target, half: rtt / 2, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.accept()
	go func() {
		<-ctx.Done()
		p.Stop()
	}()
	return p, nil
}

// Addr is host:port to connect to instead of the target.
func (p *DelayProxy) Addr() string { return p.ln.Addr().String() }

// Stop closes the listener and every connection, and waits for the forwarding to end.
func (p *DelayProxy) Stop() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	_ = p.ln.Close()
	for c := range p.conns {
		_ = c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *DelayProxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		_ = c.Close()
		return false
	}
	p.conns[c] = true
	return true
}

func (p *DelayProxy) accept() {
	defer p.wg.Done()
	for {
		in, err := p.ln.Accept()
		if err != nil {
			return
		}
		if !p.track(in) {
			return
		}
		p.wg.Add(1)
		go p.connect(in)
	}
}

// connect opens the connection to the target a round trip later, the TCP handshake's cost over a
// network (the client's handshake with the proxy is local), then forwards both ways.
func (p *DelayProxy) connect(in net.Conn) {
	defer p.wg.Done()
	time.Sleep(2 * p.half)
	out, err := net.Dial("tcp", p.target)
	if err != nil {
		_ = in.Close()
		return
	}
	if !p.track(out) {
		_ = in.Close()
		return
	}
	p.wg.Add(2)
	go p.pipe(out, in)
	go p.pipe(in, out)
}

type chunk struct {
	due  time.Time
	data []byte
}

// pipe copies src to dst, each chunk written half a round trip after it was read.
func (p *DelayProxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	queue := make(chan chunk, 4096)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for c := range queue {
			time.Sleep(time.Until(c.due))
			if _, err := dst.Write(c.data); err != nil {
				_ = src.Close()
				for range queue { // drain so the reader never blocks
				}
				return
			}
		}
		if tc, ok := dst.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		}
	}()
	buf := make([]byte, 64<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			queue <- chunk{due: time.Now().Add(p.half), data: append([]byte(nil), buf[:n]...)}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				_ = dst.Close()
			}
			break
		}
	}
	close(queue)
	<-done
}
