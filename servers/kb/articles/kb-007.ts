/** Body of KB-007. Keyword rules: see the header of ../data.ts. */
export const kb007 = String.raw`# Speeding Up Slow SSH Logins

## Symptoms
Connecting over SSH takes 20 to 30 seconds before the password prompt appears; once logged in, the
session is fast.

## 1. See where the time goes
~~~bash
ssh -vvv user@server.example.com
~~~
Look for a long pause after "debug1: Authentications that can continue" (GSSAPI negotiation) or
right after the connection is established (the server's reverse DNS lookup of the client).

## 2. Stop reverse DNS lookups on the server
In /etc/ssh/sshd_config set:
~~~
UseDNS no
~~~

## 3. Switch off GSSAPI when Kerberos is not in use
In the same file:
~~~
GSSAPIAuthentication no
~~~
Check the configuration, then restart the daemon:
~~~bash
sudo sshd -t
sudo systemctl restart ssh    # the unit is called sshd on RHEL and CentOS
~~~

## 4. Client-side settings
In ~/.ssh/config:
~~~
Host *
    GSSAPIAuthentication no
    AddressFamily inet
~~~
AddressFamily inet helps where IPv6 addresses are announced but not routed.

## 5. Time the name resolution
~~~bash
time getent hosts 192.0.2.15
cat /etc/resolv.conf
~~~
A slow reverse lookup of the client address means the DNS server lacks a PTR record or cannot be
reached. Adding the client to /etc/hosts on the server is a quick test.

## 6. PAM modules
Modules such as pam_systemd, or an unreachable LDAP or SSSD backend, delay the session setup. Watch
the authentication log while you connect:
~~~bash
sudo journalctl -u ssh -f
sudo tail -f /var/log/auth.log
~~~

## Common causes
- The reverse DNS lookup of the client address times out.
- GSSAPI negotiation waits for a Kerberos realm that is not there.
- A directory service behind PAM cannot be reached.
- IPv6 addresses have no working route.
`;
