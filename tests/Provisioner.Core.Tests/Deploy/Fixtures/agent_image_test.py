"""The deploy agent's image and write steps, without a disk (DeployAgentTests runs this with the agent's
path): the squashfs it writes is the copy the deploy environment booted from when its size and sha256
are the plan's, else a download, checked for both; a cancelled build stops it at the step's report.
A local HTTP server stands in for the appliance; a real squashfs (mksquashfs) is the image.
    python3 agent_image_test.py DEPLOY_AGENT_PY"""
import hashlib
import http.server
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.parse

spec = importlib.util.spec_from_file_location("deploy_agent", sys.argv.pop(1))
agent = importlib.util.module_from_spec(spec)
spec.loader.exec_module(agent)

IMAGE_PATH = "/boot/images/debian12/V1/root.squashfs"


class Appliance(http.server.BaseHTTPRequestHandler):
    files = {}
    steps = []
    gets = []
    gone = False  # the build was cancelled: /step answers 404

    def do_GET(self):
        Appliance.gets.append(self.path)
        body = Appliance.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
        if Appliance.gone:
            self.send_error(404, "no build")
            return
        Appliance.steps.append(form["step"][0])
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


class ImageStep(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.TemporaryDirectory()
        tree = os.path.join(cls.scratch.name, "tree")
        os.makedirs(os.path.join(tree, "etc"))
        os.makedirs(os.path.join(tree, "boot"))
        with open(os.path.join(tree, "etc/os-release"), "w") as f:
            f.write('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')
        with open(os.path.join(tree, "boot/vmlinuz-6.1.0-test"), "wb") as f:
            f.write(os.urandom(4096))
        squashfs = os.path.join(cls.scratch.name, "root.squashfs")
        subprocess.run(["mksquashfs", tree, squashfs, "-noappend", "-no-progress", "-quiet"], check=True)
        with open(squashfs, "rb") as f:
            cls.image = f.read()
        cls.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Appliance)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.base = f"http://127.0.0.1:{cls.server.server_address[1]}"

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.scratch.cleanup()

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        agent.TARGET = os.path.join(self.dir.name, "target")
        agent.LIVE_MEDIUM = os.path.join(self.dir.name, "medium")
        os.makedirs(agent.TARGET)
        os.makedirs(agent.LIVE_MEDIUM)
        Appliance.files = {IMAGE_PATH: self.image}
        Appliance.steps = []
        Appliance.gets = []
        Appliance.gone = False
        self.deploy = agent.Deploy(f"{self.base}/build/TOKEN")
        self.deploy.plan = {"image": {"name": "debian12", "version": "V1", "url": self.base + IMAGE_PATH,
                                      "sha256": hashlib.sha256(self.image).hexdigest(), "size": len(self.image)}}

    def tearDown(self):
        self.dir.cleanup()

    def booted(self, content):
        path = os.path.join(agent.LIVE_MEDIUM, "root.squashfs")
        with open(path, "wb") as f:
            f.write(content)
        return path

    def test_the_booted_copy_is_written_and_kept(self):
        booted = self.booted(self.image)
        image = self.deploy.image()
        self.assertEqual(booted, image)
        self.assertEqual(["checking image debian12 V1 (the copy this environment booted from)"], Appliance.steps)
        self.assertEqual([], Appliance.gets)
        self.deploy.write(image)
        self.assertTrue(os.path.exists(os.path.join(agent.TARGET, "etc/os-release")))
        self.assertTrue(os.path.exists(booted), "the live environment's own root file system must stay")

    def test_without_a_booted_copy_it_downloads_writes_and_removes_the_download(self):
        image = self.deploy.image()
        self.assertEqual(["downloading image debian12 V1"], Appliance.steps)
        self.assertEqual([IMAGE_PATH], Appliance.gets)
        self.assertEqual(os.path.join(agent.TARGET, ".provisioner-image.squashfs"), image)
        self.deploy.write(image)
        self.assertTrue(os.path.exists(os.path.join(agent.TARGET, "boot/vmlinuz-6.1.0-test")))
        self.assertFalse(os.path.exists(image))

    def test_a_booted_copy_that_is_not_the_plans_is_not_used(self):
        self.booted(bytes(len(self.image)))
        image = self.deploy.image()
        self.assertEqual(["checking image debian12 V1 (the copy this environment booted from)", "downloading image debian12 V1"], Appliance.steps)
        self.assertEqual(os.path.join(agent.TARGET, ".provisioner-image.squashfs"), image)

    def test_a_download_with_another_checksum_fails(self):
        Appliance.files[IMAGE_PATH] = bytes(len(self.image))
        with self.assertRaises(agent.Failure) as failed:
            self.deploy.image()
        self.assertIn(f"checksum mismatch for {self.base}{IMAGE_PATH}: sha256 {hashlib.sha256(bytes(len(self.image))).hexdigest()}", str(failed.exception))

    def test_a_short_download_fails(self):
        Appliance.files[IMAGE_PATH] = self.image[:1000]
        with self.assertRaises(agent.Failure) as failed:
            self.deploy.image()
        self.assertIn(f"downloaded 1000 bytes of {self.base}{IMAGE_PATH}, the plan says {len(self.image)}", str(failed.exception))

    def test_an_image_the_appliance_has_not_got_fails(self):
        del Appliance.files[IMAGE_PATH]
        with self.assertRaises(agent.Failure) as failed:
            self.deploy.image()
        self.assertIn(f"downloading {self.base}{IMAGE_PATH} failed after 0 MiB", str(failed.exception))

    def test_a_cancelled_build_stops_it_before_it_reads_anything(self):
        self.booted(self.image)
        Appliance.gone = True
        with self.assertRaises(agent.Cancelled):
            self.deploy.image()
        self.assertEqual([], Appliance.gets)

    def test_an_appliance_that_does_not_answer_is_a_failure_in_words(self):
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/build/TOKEN/plan"
        closed.close()
        naps = []
        agent.time.sleep, sleep = naps.append, agent.time.sleep
        try:
            with self.assertRaises(agent.Failure) as failed:
                agent.fetch(url)
        finally:
            agent.time.sleep = sleep
        self.assertIn(f"the appliance was unreachable at {url}: ", str(failed.exception))
        self.assertEqual(10, len(naps), "it tries ten times, waiting longer each time")
        self.assertEqual(15, max(naps))

    def test_an_image_without_a_kernel_is_refused_after_writing(self):
        tree = os.path.join(self.dir.name, "empty")
        os.makedirs(os.path.join(tree, "boot"))
        squashfs = os.path.join(self.dir.name, "empty.squashfs")
        subprocess.run(["mksquashfs", tree, squashfs, "-noappend", "-no-progress", "-quiet"], check=True)
        with self.assertRaises(agent.Failure) as failed:
            self.deploy.write(squashfs)
        self.assertEqual("the written image has no /etc/os-release or no kernel in /boot", str(failed.exception))


if __name__ == "__main__":
    unittest.main(verbosity=2)
