package safefile

import (
	"bufio"
	"io"
	"os"
	"strconv"
	"strings"
)

// The account databases PrivateGroup reads.
const (
	passwdFile = "/etc/passwd"
	groupFile  = "/etc/group"
)

// PrivateGroup reports whether the group gid has exactly one member, the
// user uid: the user's own group, which systems with one group per user
// and a umask of 002 give every file. Writing for such a group grants
// nobody else anything. This is the rule of Debian's OpenSSH
// (user-group-modes): the user is the only account with gid as its
// primary group and the group lists no member but the user. Accounts that
// /etc/passwd and /etc/group do not hold (LDAP, say) count as not private.
func PrivateGroup(gid, uid int) bool {
	passwd, err := os.Open(passwdFile)
	if err != nil {
		return false
	}
	defer passwd.Close()
	group, err := os.Open(groupFile)
	if err != nil {
		return false
	}
	defer group.Close()
	return privateGroupIn(passwd, group, gid, uid)
}

// privateGroupIn is PrivateGroup reading passwd and group.
func privateGroupIn(passwd, group io.Reader, gid, uid int) bool {
	name, members, ok := primaryMembers(passwd, gid, uid)
	if !ok {
		return false
	}
	listed, found := groupMembers(group, gid)
	if !found {
		return false
	}
	for _, m := range listed {
		if m != name {
			return false
		}
	}
	return members+len(listed) > 0 && name != ""
}

// primaryMembers reads passwd for uid's login name and how many accounts
// have gid as their primary group; ok is false when another account does.
func primaryMembers(passwd io.Reader, gid, uid int) (name string, members int, ok bool) {
	for _, f := range records(passwd, 4) {
		u, errU := strconv.Atoi(f[2])
		g, errG := strconv.Atoi(f[3])
		if errU != nil || errG != nil {
			continue
		}
		if u == uid {
			name = f[0]
		}
		if g == gid {
			if u != uid {
				return "", 0, false
			}
			members++
		}
	}
	return name, members, true
}

// groupMembers returns the members group lists for gid.
func groupMembers(group io.Reader, gid int) ([]string, bool) {
	for _, f := range records(group, 4) {
		if g, err := strconv.Atoi(f[2]); err != nil || g != gid {
			continue
		}
		if f[3] == "" {
			return nil, true
		}
		return strings.Split(f[3], ","), true
	}
	return nil, false
}

// records splits the colon-separated lines of an account database,
// keeping those with at least n fields.
func records(r io.Reader, n int) [][]string {
	var out [][]string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if f := strings.Split(line, ":"); len(f) >= n {
			out = append(out, f)
		}
	}
	return out
}
