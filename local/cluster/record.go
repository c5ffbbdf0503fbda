package cluster

import (
	"time"

	"github.com/mvm-dev/mvm/internal/desktop"
	"github.com/mvm-dev/mvm/internal/state"
)

// The desktop ports: Service node ports that a local cluster made by mvm
// publishes on 127.0.0.1, one per desktop. Ten desktops per cluster are
// plenty on a laptop; each node port gets a free host port when the cluster
// is created, so that several clusters can coexist.
const (
	FirstNodePort = 30680
	NodePorts     = 10
)

// Record remembers a deployed desktop (its token and address) and the
// timing of this start, under target, for the cluster named by kubeContext.
func Record(s state.Store, target, kubeContext string, d *Deployed, t *desktop.Timer) error {
	rec, err := s.Desktop(target, d.Name)
	if err != nil || rec.Token != d.Token || rec.Context != kubeContext {
		rec = state.Desktop{Target: target, Name: d.Name, Token: d.Token, Created: time.Now().UTC()}
	}
	rec.URL = d.Base
	rec.Context = kubeContext
	if err := s.SaveDesktop(rec); err != nil {
		return err
	}
	st := t.Record(target, d.Name, d.Action == Created)
	st.Action = string(d.Action)
	return s.AppendStart(st)
}
