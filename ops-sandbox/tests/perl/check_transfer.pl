#!/usr/bin/perl
# Drives a sandbox with Net::OpenSRS (Debian's libnet-opensrs-perl), unchanged:
#   perl check_transfer.pl URL USERNAME KEY DOMAIN
# The module only knows its two https hosts; the test environment's host is
# pointed at the sandbox's plain-http URL (a field of the object: there is no
# setter). Prints what the module read, one `name=value` line each: the
# hash check_transfer returns, then (`reply.` lines) the whole reply as the
# module parsed it (`last_response(1)`).
use strict;
use warnings;
use Net::OpenSRS;

my ($url, $user, $key, $domain) = @ARGV;
die "usage: $0 URL USERNAME KEY DOMAIN\n" unless defined $domain;

my $srs = Net::OpenSRS->new();
$srs->environment('test');
$srs->{config}->{test}->{host} = $url;
$srs->set_key($key);
$srs->set_manage_auth($user, 'unused-manage-password');

sub show {
    my ($prefix, $h) = @_;
    for my $k (sort keys %$h) {
        my $v = $h->{$k};
        $v = '' unless defined $v;
        $v = '(' . ref($v) . ')' if ref $v;
        print "$prefix$k=$v\n";
    }
}

my $result = $srs->check_transfer($domain);
print 'last_response=', $srs->last_response(), "\n";
if (!$result) {
    print "result=undef\n";
    exit 0;
}
show('', $result);
my $reply = $srs->last_response(1);
show('reply.', $reply);
show('reply.attributes.', $reply->{attributes}) if ref $reply->{attributes} eq 'HASH';
