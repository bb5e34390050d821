//! A small HTTP/1.1 client over one keep-alive TCP connection: enough for a
//! load generator against our own server on loopback (Content-Length and
//! chunked bodies, no TLS, no redirects followed).

use std::io;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// One keep-alive connection.
pub struct Conn {
    stream: BufReader<TcpStream>,
    host: String,
}

/// A response: status, the headers we use, and the body.
#[derive(Debug, Default)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// `Set-Cookie` values.
    pub set_cookies: Vec<String>,
    /// `Location`, if any.
    pub location: Option<String>,
    /// `Retry-After`, if any.
    pub retry_after: Option<String>,
    /// The body.
    pub body: Vec<u8>,
    /// Whether the server will close the connection.
    pub close: bool,
}

impl Conn {
    /// Connect to `addr` (`host:port`).
    pub async fn connect(addr: &str) -> io::Result<Self> {
        let s = TcpStream::connect(addr).await?;
        s.set_nodelay(true)?;
        Ok(Self {
            stream: BufReader::new(s),
            host: addr.to_string(),
        })
    }

    /// Send one request and read its response. `headers` are extra header
    /// lines without the CRLF.
    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[String],
        body: &[u8],
    ) -> io::Result<Response> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.host);
        for h in headers {
            head.push_str(h);
            head.push_str("\r\n");
        }
        if !body.is_empty() || method == "POST" {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        let mut out = head.into_bytes();
        out.extend_from_slice(body);
        self.stream.get_mut().write_all(&out).await?;
        self.read_response().await
    }

    async fn read_line(&mut self, line: &mut String) -> io::Result<()> {
        line.clear();
        if self.stream.read_line(line).await? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "connection closed",
            ));
        }
        Ok(())
    }

    async fn read_response(&mut self) -> io::Result<Response> {
        let mut line = String::new();
        self.read_line(&mut line).await?;
        let status = parse_status(&line)?;
        let mut res = Response {
            status,
            ..Response::default()
        };
        let mut length: Option<usize> = None;
        let mut chunked = false;
        loop {
            self.read_line(&mut line).await?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let Some((name, value)) = l.split_once(':') else {
                continue;
            };
            let value = value.trim();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.parse().ok(),
                "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
                "set-cookie" => res.set_cookies.push(value.to_string()),
                "location" => res.location = Some(value.to_string()),
                "retry-after" => res.retry_after = Some(value.to_string()),
                "connection" => res.close = value.eq_ignore_ascii_case("close"),
                _ => {}
            }
        }
        if chunked {
            loop {
                self.read_line(&mut line).await?;
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                    .map_err(|_| {
                    io::Error::new(io::ErrorKind::InvalidData, "bad chunk size")
                })?;
                if size == 0 {
                    // Trailers end with an empty line.
                    loop {
                        self.read_line(&mut line).await?;
                        if line.trim_end().is_empty() {
                            break;
                        }
                    }
                    break;
                }
                let start = res.body.len();
                res.body.resize(start + size, 0);
                self.stream.read_exact(&mut res.body[start..]).await?;
                self.read_line(&mut line).await?;
            }
        } else if let Some(n) = length {
            res.body.resize(n, 0);
            self.stream.read_exact(&mut res.body).await?;
        } else if status != 204 && status != 304 {
            // No length: the body runs to the end of the connection.
            self.stream.read_to_end(&mut res.body).await?;
            res.close = true;
        }
        Ok(res)
    }
}

/// The status code of an HTTP/1.x status line.
pub fn parse_status(line: &str) -> io::Result<u16> {
    let mut parts = line.split_whitespace();
    match (parts.next(), parts.next().and_then(|s| s.parse().ok())) {
        (Some(v), Some(code)) if v.starts_with("HTTP/1.") => Ok(code),
        _ => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("bad status line {line:?}"),
        )),
    }
}

/// The `name=value` part of a `Set-Cookie` header.
pub fn cookie_pair(set_cookie: &str) -> &str {
    set_cookie.split(';').next().unwrap_or("").trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines_and_cookies() {
        assert_eq!(parse_status("HTTP/1.1 303 See Other\r\n").unwrap(), 303);
        assert_eq!(parse_status("HTTP/1.0 200 OK").unwrap(), 200);
        assert!(parse_status("SSH-2.0").is_err());
        assert!(parse_status("").is_err());
        assert_eq!(
            cookie_pair("harbour_session=abc; Path=/; HttpOnly"),
            "harbour_session=abc"
        );
    }

    /// A round trip against a scripted server: a Content-Length response,
    /// then a chunked one on the same kept-alive connection.
    #[tokio::test]
    async fn reads_length_and_chunked_bodies_on_one_connection() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let server = tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = vec![0u8; 4096];
            let n = s.read(&mut buf).await.unwrap();
            assert!(String::from_utf8_lossy(&buf[..n]).starts_with("GET /a HTTP/1.1\r\n"));
            s.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nSet-Cookie: k=v; Path=/\r\n\r\nhello",
            )
            .await
            .unwrap();
            let n = s.read(&mut buf).await.unwrap();
            let req = String::from_utf8_lossy(&buf[..n]).into_owned();
            assert!(req.starts_with("POST /b HTTP/1.1\r\n"), "{req}");
            assert!(req.contains("Content-Length: 3\r\n") && req.ends_with("\r\n\r\nx=1"));
            s.write_all(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
                .await
                .unwrap();
        });
        let mut c = Conn::connect(&addr).await.unwrap();
        let r = c.send("GET", "/a", &[], b"").await.unwrap();
        assert_eq!((r.status, r.body.as_slice()), (200, &b"hello"[..]));
        assert_eq!(r.set_cookies, vec!["k=v; Path=/".to_string()]);
        let r = c
            .send("POST", "/b", &["X-Test: 1".into()], b"x=1")
            .await
            .unwrap();
        assert_eq!(r.status, 503);
        assert_eq!(r.retry_after.as_deref(), Some("1"));
        assert_eq!(r.body, b"abcde");
        server.await.unwrap();
    }
}
