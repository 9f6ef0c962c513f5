// Placement resolution, address selection and the hand-written CIDR math (IPv4 and IPv6).

#include <gtest/gtest.h>

#include "topology/placement.h"

namespace ceph_planner::topology {
namespace {

Topology threeHosts() {
  Topology t;
  t.networks.publicCidrs = {"10.10.0.0/16", "fd00:10::/32"};
  t.networks.clusterCidrs = {"10.20.0.0/16"};
  for (const char* name : {"stor01.dc1", "stor02.dc1", "web01.dc1"}) {
    Host h;
    h.name = name;
    t.hosts.push_back(h);
  }
  t.hosts[0].labels = {"mon", "rgw"};
  t.hosts[1].labels = {"rgw"};
  t.hosts[2].labels = {"rgw", "mon"};
  return t;
}

std::vector<std::string> names(const std::vector<const Host*>& hosts) {
  std::vector<std::string> out;
  for (const Host* h : hosts) out.push_back(h->name);
  return out;
}

TEST(Placement, ResolvesHostsLabelsPatternsAndCount) {
  Topology t = threeHosts();
  Placement p;
  p.hosts = {"web01.dc1", "nope", "stor01.dc1", "web01.dc1"};
  EXPECT_EQ(names(resolvePlacement(t, p)), (std::vector<std::string>{"web01.dc1", "stor01.dc1"}));
  p = Placement{};
  p.label = "rgw";
  EXPECT_EQ(resolvePlacement(t, p).size(), 3u);
  p.count = 2;
  EXPECT_EQ(names(resolvePlacement(t, p)), (std::vector<std::string>{"stor01.dc1", "stor02.dc1"}));
  p = Placement{};
  p.hostPattern = "stor*.dc?";
  EXPECT_EQ(names(resolvePlacement(t, p)), (std::vector<std::string>{"stor01.dc1", "stor02.dc1"}));
  p.label = "mon";
  EXPECT_EQ(names(resolvePlacement(t, p)), (std::vector<std::string>{"stor01.dc1"}));
  EXPECT_TRUE(resolvePlacement(t, Placement{}).empty());
}

TEST(Placement, ShortHostName) {
  EXPECT_EQ(shortHostName("Stor01.DC1.example.com"), "stor01");
  EXPECT_EQ(shortHostName("box"), "box");
}

TEST(Placement, Glob) {
  EXPECT_TRUE(globMatch("*", ""));
  EXPECT_TRUE(globMatch("a*c", "abbbc"));
  EXPECT_TRUE(globMatch("a*b*c", "aXbYbZc"));
  EXPECT_FALSE(globMatch("a*b*c", "aXbYbZ"));
  EXPECT_TRUE(globMatch("?b", "ab"));
  EXPECT_FALSE(globMatch("?b", "b"));
  EXPECT_FALSE(globMatch("abc", "ab"));
}

TEST(Placement, AddressesFromOverridesInlineOrInventory) {
  Topology t = threeHosts();
  t.hosts[0].publicIp = "10.10.1.1";
  t.hosts[1].addresses = {"192.168.1.2", "10.20.1.2", "10.10.1.2"};
  Inventory inventory;
  inventory["web01.dc1"].addresses = {"fd00:10::5", "10.20.1.3"};
  EXPECT_EQ(publicAddress(t, t.hosts[0]).value_or(""), "10.10.1.1");
  EXPECT_EQ(publicAddress(t, t.hosts[1]).value_or(""), "10.10.1.2");
  EXPECT_EQ(clusterAddress(t, t.hosts[1]).value_or(""), "10.20.1.2");
  EXPECT_FALSE(publicAddress(t, t.hosts[2]).has_value());
  EXPECT_EQ(publicAddress(t, t.hosts[2], inventory).value_or(""), "fd00:10::5");
  EXPECT_EQ(clusterAddress(t, t.hosts[2], inventory).value_or(""), "10.20.1.3");
}

TEST(Placement, Ipv4Cidr) {
  EXPECT_TRUE(cidrContains("10.0.0.0/8", "10.255.1.2"));
  EXPECT_FALSE(cidrContains("10.0.0.0/8", "11.0.0.1"));
  EXPECT_TRUE(cidrContains("127.0.0.0/8", "127.0.0.4"));
  EXPECT_TRUE(cidrContains("192.168.1.128/25", "192.168.1.200"));
  EXPECT_FALSE(cidrContains("192.168.1.128/25", "192.168.1.127"));
  EXPECT_TRUE(cidrContains("0.0.0.0/0", "8.8.8.8"));
  EXPECT_TRUE(cidrContains("1.2.3.4/32", "1.2.3.4"));
  EXPECT_FALSE(cidrContains("1.2.3.4/32", "1.2.3.5"));
  EXPECT_FALSE(cidrContains("10.0.0.0/8", "fd00::1"));
  EXPECT_FALSE(cidrContains("10.0.0.0/8", "10.0.0"));
  for (const char* bad : {"10.0.0.0", "10.0.0.0/33", "10.0.0/8", "10.0.0.256/8", "10.0.0.01/8",
                          "10.0.0.0/", "10.0.0.0/-1", "a.b.c.d/8", "10.0.0.0/8/1"}) {
    EXPECT_FALSE(isValidCidr(bad)) << bad;
  }
  EXPECT_TRUE(isValidIpAddress("0.0.0.0"));
  EXPECT_FALSE(isValidIpAddress("1.2.3"));
  EXPECT_FALSE(isValidIpAddress(""));
}

TEST(Placement, Ipv6Cidr) {
  EXPECT_TRUE(cidrContains("fd00::/8", "fdff:1::2"));
  EXPECT_FALSE(cidrContains("fd00::/8", "fe80::1"));
  EXPECT_TRUE(cidrContains("2001:db8::/32", "2001:0db8:ffff::1"));
  EXPECT_TRUE(cidrContains("2001:db8:0:1::/64", "2001:db8::1:0:0:0:7"));
  EXPECT_FALSE(cidrContains("2001:db8:0:1::/64", "2001:db8:0:2::7"));
  EXPECT_TRUE(cidrContains("::/0", "::1"));
  EXPECT_TRUE(cidrContains("::ffff:0:0/96", "::ffff:10.0.0.1"));
  EXPECT_TRUE(cidrContains("2001:db8::/127", "2001:db8::1"));
  EXPECT_FALSE(cidrContains("2001:db8::/128", "2001:db8::1"));
  EXPECT_FALSE(cidrContains("fd00::/8", "10.0.0.1"));
  EXPECT_TRUE(isValidIpAddress("1:2:3:4:5:6:7:8"));
  EXPECT_TRUE(isValidIpAddress("::"));
  for (const char* bad : {"1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::1",
                          "1:2:3:4:5:6:7::8", ":1:2:3:4:5:6:7"}) {
    EXPECT_FALSE(isValidIpAddress(bad)) << bad;
  }
  EXPECT_FALSE(isValidCidr("fd00::/129"));
}

}  // namespace
}  // namespace ceph_planner::topology
