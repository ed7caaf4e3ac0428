//! What each subcommand does. The work itself lives in `rencai-app`; this is the operator's
//! side of it: progress, summaries, confirmations and exit codes.

use std::sync::Arc;
use std::time::Duration;

use rencai_app::config::Mode;
use rencai_app::demo::DemoScale;
use rencai_app::{AppState, Settings, SystemClock};

use crate::cli::{
    AdminCommand, AdminCreateArgs, AuditCommand, Cli, Command, DevCommand, KeysCommand, OutboxArgs, RotateArgs,
};
use crate::{CommandError, exit, progress};

pub async fn run(cli: Cli) -> Result<(), CommandError> {
    let settings = crate::settings::load(&cli.global).map_err(CommandError::failed)?;
    rencai_app::telemetry::init(&settings.log);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Migrate => migrate(settings).await,
        Command::Demo(args) => demo(settings, &args).await,
        Command::Reindex => reindex(settings).await,
        Command::Backup(args) => backup(settings, &args.out).await,
        Command::Purge => purge(settings).await,
        Command::Restore(args) => restore(settings, args).await,
        Command::Audit { command: AuditCommand::Verify } => audit_verify(settings).await,
        Command::Keys { command: KeysCommand::Rotate(args) } => keys_rotate(settings, args).await,
        Command::Keys { command: KeysCommand::Status } => keys_status(settings).await,
        Command::Dev { command: DevCommand::Outbox(args) } => dev_outbox(settings, args).await,
        Command::Dev { command: DevCommand::SendTestEmail { to } } => send_test_email(settings, &to).await,
        Command::Admin { command: AdminCommand::Create(args) } => admin_create(settings, args).await,
    }
}

async fn open(settings: Settings) -> Result<AppState, CommandError> {
    Ok(rencai_app::bootstrap::open(settings, Arc::new(SystemClock)).await?)
}

async fn open_existing(settings: Settings) -> Result<AppState, CommandError> {
    Ok(rencai_app::bootstrap::open_existing(settings, Arc::new(SystemClock)).await?)
}

async fn load_demo(state: &AppState, scale: &DemoScale) -> Result<(), CommandError> {
    let pb = progress::bar(0, "加载演示数据");
    let summary = rencai_app::demo::load(state, scale, |done, total| {
        pb.set_length(total as u64);
        pb.set_position(done as u64);
    })
    .await?;
    pb.finish_and_clear();
    if summary.already_present {
        eprintln!("演示数据：数据库中已有账号，未重复加载。");
    } else {
        eprintln!(
            "演示数据：已加载 {} 个账号、{} 家单位、{} 个职位、{} 份简历（个人信息均已加密保存）。演示账号登录：",
            summary.accounts, summary.companies, summary.jobs, summary.resumes
        );
        for (role, phone, password) in &summary.logins {
            let entry = rencai_app::auth::register::Portal::for_role(*role).map(|(href, _)| href).unwrap_or("/");
            eprintln!("  {:<10} 手机号 {phone}  密码 {password}  入口 {entry}", role.label());
        }
        if let Some((phone, secret)) = &summary.admin_totp {
            eprintln!(
                "  后台管理员   手机号 {phone}  密码 {}  动态验证码密钥 {secret}  入口 /admin/login",
                rencai_app::demo::DEMO_PASSWORD
            );
        }
    }
    Ok(())
}

async fn serve(settings: Settings) -> Result<(), CommandError> {
    let listen = settings.server.listen;
    let mode = settings.mode();
    let state = open(settings).await?;
    if mode == Mode::Demo {
        load_demo(&state, &DemoScale::full()).await?;
    }
    // A database put back by hand (not through `rencai restore`) must not revive deleted accounts.
    let revived = rencai_app::privacy::deactivation::replay_file(&state).await?;
    if revived > 0 {
        eprintln!("注销记录里的 {revived} 个账号在数据库中又是正常状态（数据库被恢复过？），已重新注销。");
    }
    start_search(&state).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| CommandError::failed(format!("无法监听 {listen}：{e}（端口被占用？可用 --listen 换一个）")))?;
    let addr = listener.local_addr().map_err(CommandError::failed)?;
    let mode_text = if mode == Mode::Demo { "演示模式" } else { "生产模式" };
    eprintln!("Rencai 已启动（{mode_text}）：http://{addr}/   数据目录：{}", state.settings().data_dir.display());
    tracing::info!(%addr, mode = mode_text, "listening");

    // Pick up a key file rewritten by `rencai keys rotate` or another node.
    let keys = state.keys().clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        loop {
            tick.tick().await;
            match keys.reload_if_changed() {
                Ok(true) => tracing::info!("key file changed; keys reloaded"),
                Ok(false) => {}
                Err(e) => {
                    tracing::error!(error = %e, "key file could not be reloaded; keeping the keys in memory")
                }
            }
        }
    });

    tokio::spawn(rencai_app::delivery_worker::run_forever(state.clone(), Duration::from_secs(1)));
    tokio::spawn(rencai_app::chat::hub::listen_forever(state.clone()));
    tokio::spawn(rencai_app::schedule::run_forever(state.clone(), Duration::from_secs(60)));
    tokio::spawn(rencai_app::search::run_forever(state.clone(), state.settings().search.poll_interval()));
    rencai_web::serve(state, listener, shutdown_signal()).await.map_err(CommandError::failed)?;
    eprintln!("Rencai 已停止。");
    Ok(())
}

/// Opens this node's search index and brings it up to date (a rebuild on first start).
async fn start_search(state: &AppState) -> Result<(), CommandError> {
    let pb = progress::spinner("准备搜索索引");
    let started = rencai_app::search::start(state).await?;
    pb.finish_and_clear();
    let r = &started.report;
    if r.rebuilt {
        eprintln!("搜索索引：已从数据库重建，{} 个职位，用时 {:.1} 秒。", r.indexed, r.elapsed.as_secs_f64());
    } else if r.changes > 0 {
        eprintln!("搜索索引：已补上停机期间的 {} 条变更。", r.changes);
    }
    Ok(())
}

async fn reindex(settings: Settings) -> Result<(), CommandError> {
    let state = open(settings).await?;
    let pb = progress::bar(0, "重建搜索索引");
    let started = rencai_app::search::reindex(&state, &mut |done, total| {
        pb.set_length(total);
        pb.set_position(done);
    })
    .await?;
    pb.finish_and_clear();
    let r = &started.report;
    eprintln!(
        "搜索索引已重建：{} 个职位，另补上重建期间的 {} 条变更，用时 {:.1} 秒。",
        r.indexed,
        r.changes,
        r.elapsed.as_secs_f64()
    );
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

async fn migrate(settings: Settings) -> Result<(), CommandError> {
    let state = open(settings).await?;
    let pending = state.db().pending_migrations().await.map_err(CommandError::failed)?;
    eprintln!("数据库已是最新结构（待执行迁移：{}）。", pending.len());
    Ok(())
}

async fn demo(settings: Settings, args: &crate::cli::DemoArgs) -> Result<(), CommandError> {
    if settings.mode() == Mode::Production {
        return Err(CommandError::refused("生产模式下不加载演示数据（设置 mode = \"demo\" 才能加载）。"));
    }
    let full = DemoScale::full();
    let scale = match (args.jobs, args.resumes) {
        (None, None) => full,
        (jobs, resumes) => DemoScale::scaled(jobs.unwrap_or(full.market.jobs), resumes.unwrap_or(full.market.resumes)),
    };
    let state = open(settings).await?;
    load_demo(&state, &scale).await
}

async fn backup(settings: Settings, out: &std::path::Path) -> Result<(), CommandError> {
    let state = open_existing(settings).await?;
    let pb = progress::bar(0, "复制上传文件");
    let manifest = rencai_app::backup::run(&state, out, |done, total| {
        pb.set_length(total);
        pb.set_position(done);
    })
    .await
    .map_err(|e| match e {
        rencai_app::AppError::Conflict { message, .. } => {
            CommandError::refused(format!("{message}；请指定一个新的目录。"))
        }
        other => other.into(),
    })?;
    pb.finish_and_clear();
    let bytes: u64 = manifest.files.iter().map(|f| f.bytes).sum();
    eprintln!(
        "备份完成：{}（{} 个文件，共 {:.1} MB）。\n注意：密钥文件 {} 不在备份中，请另行妥善保管；没有它，备份中的个人信息无法读取。",
        out.display(),
        manifest.files.len(),
        bytes as f64 / 1_048_576.0,
        state.settings().key_file().display()
    );
    Ok(())
}

async fn purge(settings: Settings) -> Result<(), CommandError> {
    let state = open(settings).await?;
    let pb = progress::bar(0, "按保存期限清理");
    let report = rencai_app::privacy::retention::run(&state, |done, total| {
        pb.set_length(total);
        pb.set_position(done);
    })
    .await?;
    pb.finish_and_clear();
    let tables = if report.expired.is_empty() {
        "没有到期的记录".to_string()
    } else {
        report.expired.iter().map(|(t, n)| format!("{t} {n} 行")).collect::<Vec<_>>().join("，")
    };
    eprintln!(
        "清理完成：到期记录 {tables}；注销期满的账号 {} 个（删除 {} 行、{} 个文件）；过期的导出文件 {} 个。",
        report.purge.accounts, report.purge.rows, report.purge.files, report.exports_expired
    );
    Ok(())
}

async fn restore(settings: Settings, args: crate::cli::RestoreArgs) -> Result<(), CommandError> {
    let manifest = rencai_app::backup::verify(&args.from)?;
    let when = manifest.created_at.with_timezone(&rencai_domain::time::china()).format("%Y-%m-%d %H:%M");
    if !args.yes
        && !progress::confirm(&format!(
            "将用 {when} 的备份替换 {} 的数据库和上传文件（现有上传文件会移到一旁保留）。继续吗？",
            settings.data_dir.display()
        ))
    {
        return Err(CommandError::refused("未确认，没有做任何改动（可加 --yes 跳过确认）。"));
    }
    let spinner = progress::spinner("恢复备份");
    let (state, report) =
        rencai_app::backup::restore(settings, Arc::new(SystemClock), &args.from).await.map_err(|e| match e {
            rencai_app::AppError::Validation { code: "search.locked", .. } => {
                CommandError::refused("rencai serve 正在使用这个数据目录：请先停止它再恢复。没有做任何改动。")
            }
            other => other.into(),
        })?;
    spinner.finish_and_clear();
    let pb = progress::bar(0, "重建搜索索引");
    rencai_app::search::reindex(&state, &mut |done, total| {
        pb.set_length(total);
        pb.set_position(done);
    })
    .await?;
    pb.finish_and_clear();
    eprintln!(
        "恢复完成：{} 个文件已核对。注销记录 {} 条已重放，其中 {} 个账号在备份里仍是正常状态，已重新注销。{}",
        report.manifest.files.len(),
        report.deletions_known,
        report.deactivated_again,
        report.old_uploads.map(|p| format!("原上传文件保存在 {}。", p.display())).unwrap_or_default()
    );
    Ok(())
}

async fn audit_verify(settings: Settings) -> Result<(), CommandError> {
    let state = open_existing(settings).await?;
    let total = rencai_app::audit::count(&state).await?;
    let pb = progress::bar(total, "校验审计链");
    let report = rencai_app::audit::verify(&state, |n| pb.set_position(n)).await?;
    pb.finish_and_clear();
    match report.problem {
        None => {
            eprintln!("审计链完好：已校验 {} 行。", report.rows_checked);
            Ok(())
        }
        Some(problem) => Err(CommandError {
            code: exit::AUDIT_BROKEN,
            message: format!("审计链校验未通过：{problem}（此前 {} 行完好）。", report.rows_checked),
        }),
    }
}

async fn keys_rotate(settings: Settings, args: RotateArgs) -> Result<(), CommandError> {
    if args.retire
        && !args.yes
        && !progress::confirm("轮换完成后将从密钥文件中删除旧密钥，用旧密钥加密的备份将无法再读取。继续吗？")
    {
        return Err(CommandError::refused("未确认，没有做任何改动（可加 --yes 跳过确认）。"));
    }
    let state = open_existing(settings).await?;
    let spinner = progress::spinner(&format!("已写入新密钥，等待 {} 秒让运行中的节点加载", args.grace));
    let pb = progress::bar(0, "重新加密");
    let mut started = false;
    let summary =
        rencai_app::keys::rotate(&state, args.batch, Duration::from_secs(args.grace), args.retire, |done, total| {
            if !started {
                spinner.finish_and_clear();
                started = true;
            }
            pb.set_length(total);
            pb.set_position(done);
        })
        .await?;
    spinner.finish_and_clear();
    pb.finish_and_clear();
    let r = &summary.report;
    eprintln!(
        "密钥轮换完成：新密钥 {}；重新加密 {} 个字段值（并发修改跳过 {} 个，{} 轮）；仍在旧密钥下：{}。",
        summary.new_key_id, r.resealed, r.raced, r.passes, r.remaining
    );
    if !summary.retired.is_empty() {
        eprintln!("已删除旧密钥：{}。", summary.retired.join(", "));
    }
    if r.remaining > 0 {
        return Err(CommandError::failed("仍有数据在旧密钥下（可能有节点尚未加载新密钥）；请稍后再次运行。"));
    }
    Ok(())
}

async fn keys_status(settings: Settings) -> Result<(), CommandError> {
    let state = open_existing(settings).await?;
    let ring = state.keys().get();
    eprintln!("当前密钥：{}", ring.current_key_id());
    for (id, n) in rencai_app::keys::usage(&state).await? {
        eprintln!("  {id}: {n} 个字段值");
    }
    Ok(())
}

async fn dev_outbox(settings: Settings, args: OutboxArgs) -> Result<(), CommandError> {
    let state = open_existing(settings).await?;
    if args.email {
        let mails =
            rencai_app::providers::email::read_outbox(state.db(), state.keys(), args.to.as_deref(), args.limit).await?;
        if mails.is_empty() {
            eprintln!("邮件发件箱是空的。");
        }
        for m in mails.iter().rev() {
            let at = m.created_at.with_timezone(&rencai_domain::time::china()).format("%Y-%m-%d %H:%M:%S");
            println!("{at}  {}  {}\n{}\n", m.to, m.subject, m.text);
        }
        return Ok(());
    }
    let phone = match &args.phone {
        Some(p) => Some(rencai_domain::account::Phone::parse(p).map_err(CommandError::failed)?),
        None => None,
    };
    let messages =
        rencai_app::providers::sms_outbox::read(state.db(), state.keys(), phone.as_ref(), args.limit).await?;
    if messages.is_empty() {
        eprintln!("发件箱是空的。");
    }
    for m in messages.iter().rev() {
        let at = m.created_at.with_timezone(&rencai_domain::time::china()).format("%Y-%m-%d %H:%M:%S");
        let params = m.params.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ");
        println!("{at}  {}  {}  {params}", m.phone, m.template);
    }
    Ok(())
}

fn read_password(from_stdin: bool) -> Result<String, CommandError> {
    use std::io::{BufRead, IsTerminal};
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(CommandError::failed)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    if !std::io::stdin().is_terminal() {
        return Err(CommandError::refused("没有终端可以输入密码；请使用 --password-stdin。"));
    }
    let first = rpassword::prompt_password("设置密码（8–64 位，含字母和数字）：").map_err(CommandError::failed)?;
    let second = rpassword::prompt_password("再输入一次：").map_err(CommandError::failed)?;
    if first != second {
        return Err(CommandError::refused("两次输入的密码不一致，没有做任何改动。"));
    }
    Ok(first)
}

async fn admin_create(settings: Settings, args: AdminCreateArgs) -> Result<(), CommandError> {
    let state = open(settings).await?;
    if rencai_app::auth::staff::has_administrator(&state).await? {
        return Err(CommandError::refused("已有管理员；其他工作人员请由管理员在后台（/admin）创建。"));
    }
    let password = read_password(args.password_stdin)?;
    let created = rencai_app::auth::staff::create(
        &state,
        None,
        &args.phone,
        &password,
        rencai_domain::staff::StaffRole::Administrator,
    )
    .await?;
    let site = state.settings().site.name.clone();
    println!("管理员已创建。请用身份验证器添加下面的密钥（只显示这一次）：");
    println!("  密钥：{}", created.totp.to_base32());
    println!("  {}", created.totp.otpauth_uri(&site, &format!("staff-{}", created.account.public_id)));
    println!("登录后台：/admin/login");
    Ok(())
}

async fn send_test_email(settings: Settings, to: &str) -> Result<(), CommandError> {
    use rencai_app::providers::email::{EmailMessage, SmtpEmail};
    let Some(mailer) = SmtpEmail::from_settings(&settings.email).map_err(CommandError::failed)? else {
        return Err(CommandError::refused("没有设置 email.smtp_host，不会发送邮件。"));
    };
    let site = settings.site.name.clone();
    let reply = mailer
        .send(&EmailMessage {
            to: to.to_owned(),
            subject: format!("{site} 邮件设置测试"),
            text: format!("这是一封来自 {site} 的测试邮件。收到它说明邮件设置可用。"),
        })
        .await
        .map_err(CommandError::failed)?;
    eprintln!("已发送。服务器回复：{reply}");
    Ok(())
}
