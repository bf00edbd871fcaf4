"""Web nodes hold no state (README, "Scaling out"): private files can live in an S3-compatible
bucket, chosen by environment variables, and the app still serves them itself after its
permission check; database connections can come from a pool or go through PgBouncer."""

import json

import boto3
import pytest
from django.core.files.base import ContentFile
from moto import mock_aws

from pic.files import private_file_response
from pic.storage import private_storage
from tests.test_deploy import manage

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"
S3_PRIVATE = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {"bucket_name": "pic-private", "region_name": "ca-central-1",
                "access_key": "test", "secret_key": "test", "location": "private",
                "default_acl": None, "file_overwrite": False},
}


def settings_seen_by_a_new_process(**env: str) -> dict:
    code = ("import json; from django.conf import settings as s; "
            "print(json.dumps({'private': s.STORAGES['private'], 'db': s.DATABASES['default']},"
            " default=str))")
    result = manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_pic_s3_bucket_switches_the_private_storage_to_s3():
    seen = settings_seen_by_a_new_process(
        PIC_S3_BUCKET="pic-private", PIC_S3_ENDPOINT_URL="https://minio.example.org:9000",
        PIC_S3_REGION="ca-central-1", PIC_S3_ACCESS_KEY_ID="AKIA-test",
        PIC_S3_SECRET_ACCESS_KEY="secret-test")
    private = seen["private"]
    assert private["BACKEND"] == "storages.backends.s3.S3Storage"
    assert private["OPTIONS"]["bucket_name"] == "pic-private"
    assert private["OPTIONS"]["endpoint_url"] == "https://minio.example.org:9000"
    assert private["OPTIONS"]["default_acl"] is None  # never public-read


def test_without_a_bucket_private_files_stay_on_the_local_disk():
    seen = settings_seen_by_a_new_process()
    assert seen["private"]["BACKEND"] == "pic.storage.PrivateFileSystemStorage"


@pytest.fixture
def s3_bucket(settings):
    with mock_aws():
        boto3.client("s3", region_name="ca-central-1").create_bucket(
            Bucket="pic-private",
            CreateBucketConfiguration={"LocationConstraint": "ca-central-1"})
        settings.STORAGES = {**settings.STORAGES, "private": S3_PRIVATE}
        yield boto3.client("s3", region_name="ca-central-1")


def test_a_private_file_saved_in_the_bucket_is_served_by_the_app(s3_bucket):
    name = private_storage().save("letters/lettre.pdf", ContentFile(PDF))
    keys = [o["Key"] for o in s3_bucket.list_objects_v2(Bucket="pic-private")["Contents"]]
    assert keys == [f"private/{name}"]
    acl = s3_bucket.get_object_acl(Bucket="pic-private", Key=f"private/{name}")
    assert [g["Grantee"].get("URI") for g in acl["Grants"] if "URI" in g["Grantee"]] == []

    class Stored:
        def open(self, mode):
            return private_storage().open(name, mode)

    response = private_file_response(Stored(), filename="lettre.pdf",
                                     content_type="application/pdf")
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"


def test_a_file_missing_from_the_bucket_is_a_404(s3_bucket):
    from django.http import Http404

    class Missing:
        def open(self, mode):
            return private_storage().open("letters/absent.pdf", mode)

    with pytest.raises(Http404):
        private_file_response(Missing(), filename="absent.pdf", content_type="application/pdf")


def test_a_pool_replaces_persistent_connections_on_postgresql():
    seen = settings_seen_by_a_new_process(
        DATABASE_URL="postgres://pic:pic@db.example.org:5432/pic", PIC_DB_POOL_MAX_SIZE="8",
        PIC_DB_POOL_MIN_SIZE="2")
    assert seen["db"]["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 8, "timeout": 10}
    assert seen["db"]["CONN_MAX_AGE"] == 0


def test_behind_pgbouncer_there_are_no_server_side_cursors():
    seen = settings_seen_by_a_new_process(
        DATABASE_URL="postgres://pic:pic@pgbouncer.example.org:6432/pic", PIC_DB_PGBOUNCER="true")
    assert seen["db"]["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert seen["db"]["CONN_MAX_AGE"] == 0
