package posture

import (
	"fmt"
	"strings"
)

// Practice 3: how the provider reaches the API server.
func (e *evaluator) transport() {
	p := e.s.Provider
	if p.Insecure {
		e.add(CheckProviderInsecureTLS, "", kindProvider, "", "", fmt.Sprintf("The provider is configured with insecure = true: it "+
			"accepts any certificate from the API server at %s, so a machine in the middle can read its credentials and "+
			"the objects it sends.", p.Host))
	}
	if strings.EqualFold(p.Scheme, "http") {
		e.add(CheckPlainHTTP, "", kindProvider, "", "", fmt.Sprintf("The API server is reached at %s over plain HTTP: "+
			"credentials and objects cross the network unencrypted.", p.Host))
	}
}
